/** What auth needs from other modules' keepers: nothing (every other module builds on auth). */
export {};
