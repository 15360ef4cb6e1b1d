import Foundation
import WeiquanCore

extension ConversationService {
    /// The ``CaseReport`` of `period` at `unit` (and the units below it; nil: all) as `GET /api/v1/reports` makes
    /// it, from memory: the cases' facts from the ``CaseIndex``, the handoffs' from the ``HandoffIndex``, the
    /// centre's deadlines and the service's clock for the overdue figures. An unknown unit is a ``DeskError``.
    package func report(period: ReportPeriod, unit: UnitID?) async throws -> CaseReport {
        let facts = self.caseIndex.facts()
        let handoffs = self.handoffs.facts()
        let configuration = self.machine.configuration
        do throws(ReportError) {
            return try CaseReport(
                facts: facts, handoffs: handoffs, period: period, unit: unit, directory: configuration.directory,
                deadlines: CaseDeadlines(configuration), now: self.clock())
        } catch {
            throw DeskError(error)
        }
    }
}
