// The compilerOptions create-cloudflare 2.74 writes into a hello-world TypeScript Worker's
// tsconfig.json, as generated (its `types` list aside, which depends on the project). The
// snippet test and the wrangler test both type-check Workers code under them.
export const C3_COMPILER_OPTIONS = Object.freeze({
  target: "es2024",
  lib: ["es2024"],
  jsx: "react-jsx",
  module: "es2022",
  moduleResolution: "Bundler",
  resolveJsonModule: true,
  allowJs: true,
  checkJs: false,
  noEmit: true,
  isolatedModules: true,
  allowSyntheticDefaultImports: true,
  forceConsistentCasingInFileNames: true,
  strict: true,
  skipLibCheck: true,
});
