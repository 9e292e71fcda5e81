// Prints jest's totals as one plain line that CI reads: "N passed, N failed, N skipped".
// A suite that could not run (a crash at import, a failed beforeAll) counts as a failure.
class TotalsReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    // Skipped tests are named by file, so a suite that found no server is seen, not just counted.
    for (const suite of results.testResults) {
      const pending = suite.testResults.filter((test) => test.status === 'pending' || test.status === 'todo').length;
      if (pending > 0)
        process.stdout.write(`skipped: ${pending} in ${suite.testFilePath.replace(`${process.cwd()}/`, '')}\n`);
    }
    process.stdout.write(`\n${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
module.exports = TotalsReporter;
