// Prints jest's totals as one plain line that CI reads: "N passed, N failed, N skipped".
// A suite that could not run (a crash at import, a failed beforeAll) counts as a failure.
class TotalsReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`\n${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
module.exports = TotalsReporter;
