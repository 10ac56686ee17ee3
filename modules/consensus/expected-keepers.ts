/** What consensus needs from other modules' keepers: nothing. */
export {};
