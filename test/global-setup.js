// The tests that start `yearly-report` as a process (test/e2e) run the
// bundle people run, so it is rebuilt from the current source first (cli/bin.js
// would otherwise fall back to the slower source run; it never runs stale code).
module.exports = async () => {
  await require('../cli/build-bundle').build();
};
