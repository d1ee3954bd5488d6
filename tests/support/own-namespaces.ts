/**
 * Namespaces of the suite's dev server for the test files whose processes use a database of their
 * own. A case's workflow ID is its case number, and case numbers start again at 1 in every
 * database: two such files in one namespace would post steps to each other's cases.
 */
export const ownNamespaces = {
  metrics: 'ppks-test-metrics',
  mtls: 'ppks-test-mtls',
  workerShutdown: 'ppks-test-worker-shutdown',
} as const;
