/// The kinds of intellectual property an aid centre deals with.
///
/// Raw values are the stable English ids used in JSON (`weiquan classify`, cases, config).
public enum IPType: String, Codable, Sendable, CaseIterable, Hashable {
    case patent
    case trademark
    case geographicalIndication = "geographical_indication"
    case integratedCircuitLayout = "ic_layout"
    case copyright
    case tradeSecret = "trade_secret"
    case plantVariety = "plant_variety"
}
