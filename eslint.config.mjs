// ESLint for the whole tree (npm run lint; test/lint.test.ts runs it in npm test): the recommended
// rules of ESLint and typescript-eslint, with the few this codebase answers differently noted below.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", ".tools/", ".tap/", "localnet/.data/", ".bench-data/", "proto/gen/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      // Unused names are already errors in tsc (noUnusedLocals, noUnusedParameters); "_x" marks one kept on purpose.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      // Commands and optional parts load on use with require() (mirad keys must not pay for the node's dependencies).
      "@typescript-eslint/no-require-imports": "off",
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: { globals: { require: "readonly", module: "writable", process: "readonly", console: "readonly", __dirname: "readonly" } },
    // Plain Node scripts (scripts/run-tests.js) are CommonJS.
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
