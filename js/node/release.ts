/**
 * The release of a Node process that names none (no `release` option, no `SENTRY_RELEASE`,
 * none injected at build time): the commit that the CI or host it was built or deployed by
 * names in its environment, as Sentry's Node SDK finds it. Without a release, events
 * cannot be tied to a deploy and release health sends nothing.
 */

/** Environment variables holding the deployed commit, most specific first. */
const COMMIT_VARIABLES = [
  "GITHUB_SHA", // GitHub Actions
  "CI_COMMIT_SHA", // GitLab CI
  "CIRCLE_SHA1", // CircleCI
  "BITBUCKET_COMMIT", // Bitbucket Pipelines
  "BUILDKITE_COMMIT", // Buildkite
  "TRAVIS_COMMIT", // Travis CI
  "DRONE_COMMIT_SHA", // Drone
  "SEMAPHORE_GIT_SHA", // Semaphore
  "CODEBUILD_RESOLVED_SOURCE_VERSION", // AWS CodeBuild
  "AWS_COMMIT_ID", // AWS Amplify
  "VERCEL_GIT_COMMIT_SHA", // Vercel
  "CF_PAGES_COMMIT_SHA", // Cloudflare Pages
  "WORKERS_CI_COMMIT_SHA", // Cloudflare Workers Builds
  "RENDER_GIT_COMMIT", // Render
  "RAILWAY_GIT_COMMIT_SHA", // Railway
  "HEROKU_SLUG_COMMIT", // Heroku (dyno metadata)
  "SOURCE_VERSION", // Heroku (builds)
  "COMMIT_REF", // Netlify
  "KOYEB_GIT_SHA", // Koyeb
];

/** The first of `COMMIT_VARIABLES` set in `env` (not blank), or undefined. */
export function commitRelease(env: Record<string, string | undefined> | undefined): string | undefined {
  for (const name of COMMIT_VARIABLES) {
    const v = env?.[name]?.trim();
    if (v) return v;
  }
}
