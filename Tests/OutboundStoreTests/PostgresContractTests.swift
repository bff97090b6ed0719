import Foundation
import OutboundConfig
import OutboundStore
import XCTest

/// The store contract on PostgreSQL: the same tests as on SQLite, each in a schema of its own
/// on the test server (`TestPostgres`: a throwaway server, or `OUTBOUNDCTL_TEST_POSTGRES`).
/// Each test is named again here because XCTest on Linux finds only a class's own methods,
/// not inherited ones: a new contract test needs its line below.
final class PostgresStoreContractTests: StoreContractTests {
    override var backend: ContractBackend { .postgres }

    override func testOneAgentChangeRewritesOnlyThatAgentsRows() throws { try super.testOneAgentChangeRewritesOnlyThatAgentsRows() }
    override func testDeletionsAreRefusedUnlessAllowed() throws { try super.testDeletionsAreRefusedUnlessAllowed() }
    override func testSavedPlanBaseIsChecked() throws { try super.testSavedPlanBaseIsChecked() }
    override func testSnapshotsKeepEveryRevision() throws { try super.testSnapshotsKeepEveryRevision() }
    override func testTheChangeFeedListsWhatLaterRevisionsChangedAndRemoved() throws { try super.testTheChangeFeedListsWhatLaterRevisionsChangedAndRemoved() }
    override func testAWatcherSeesARevisionCommittedElsewhere() async throws { try await super.testAWatcherSeesARevisionCommittedElsewhere() }
    override func testRollingBackRestoresARevisionAsANewOne() throws { try super.testRollingBackRestoresARevisionAsANewOne() }
    override func testConcurrentAppliesSerialise() throws { try super.testConcurrentAppliesSerialise() }
    override func testTheSameConfigurationFromOtherBytesTeachesTheRevisionTheirDigest() throws { try super.testTheSameConfigurationFromOtherBytesTeachesTheRevisionTheirDigest() }
    override func testAnExportLoadsBackToTheSameConfiguration() throws { try super.testAnExportLoadsBackToTheSameConfiguration() }
    override func testKillsAtRandomPointsLeaveTheLastCompleteRevision() throws { try super.testKillsAtRandomPointsLeaveTheLastCompleteRevision() }
    override func testMissingStoreIsNotCreatedByReads() throws { try super.testMissingStoreIsNotCreatedByReads() }
}

final class PostgresEvaluationDayTests: EvaluationDayTests {
    override var backend: ContractBackend { .postgres }

    override func testALaterDayNeedsNoApplyAndTheAnswerTurnsAtTheBoundary() throws { try super.testALaterDayNeedsNoApplyAndTheAnswerTurnsAtTheBoundary() }
}
