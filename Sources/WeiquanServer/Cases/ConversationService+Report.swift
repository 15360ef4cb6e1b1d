import Foundation
import WeiquanCore
import WeiquanStore

extension ConversationService {
    /// The ``CaseReport`` of `period` at `unit` (and the units below it; nil: all) as `GET /api/v1/reports` makes
    /// it: the cases' facts from the ``CaseIndex``, the handoffs from the store (the handoff index holds only the
    /// open ones, and the report counts every one requested in the period), the centre's deadlines and the
    /// service's clock for the overdue figures. An unknown unit is a ``DeskError``.
    package func report(period: ReportPeriod, unit: UnitID?) async throws -> CaseReport {
        let facts = self.caseIndex.facts()
        let handoffs = try await self.store.all(HandoffRecord.self)
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
