import CoreMetrics
import Foundation
import OutboundConfig
import Prometheus
import Synchronization

/// The server's metrics (SPEC §6), in a registry of its own: `/metrics` renders it, and
/// nothing is bootstrapped process-wide.
final class GateMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private let revision: CoreMetrics.Gauge
    private let reloads: CoreMetrics.Counter
    private let reloadErrors: CoreMetrics.Counter
    private let droppedLogLines: CoreMetrics.Counter
    private let heldLongPolls: CoreMetrics.Gauge
    private let storeReadsRunning: CoreMetrics.Gauge
    private let storeReadsWaiting: CoreMetrics.Gauge
    private let snapshotBytes: CoreMetrics.Gauge
    /// `outboundctl_checks_total` by channel and outcome: made once, as a batch counts up to
    /// 1,000 answers.
    private let checks: [CheckOutcome: CoreMetrics.Counter]
    /// Each request's counter and timer, made on a route's (and status's) first request: making
    /// them anew per request (labels, a registry lookup under its lock) showed in the profile.
    private let requestMetrics = Mutex<[RouteStatus: (CoreMetrics.Counter, CoreMetrics.Timer)]>([:])

    private struct CheckOutcome: Hashable {
        var channel: OutboundConfig.Channel
        var available: Bool
    }

    private struct RouteStatus: Hashable {
        var route: String
        var status: Int
    }

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(5),
            .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30), .seconds(60),
        ]
        self.factory = factory
        revision = CoreMetrics.Gauge(label: "outboundctl_store_revision", factory: factory)
        reloads = CoreMetrics.Counter(label: "outboundctl_store_reloads_total", factory: factory)
        reloadErrors = CoreMetrics.Counter(label: "outboundctl_store_reload_errors_total", factory: factory)
        droppedLogLines = CoreMetrics.Counter(label: "outboundctl_log_lines_dropped_total", factory: factory)
        heldLongPolls = CoreMetrics.Gauge(label: "outboundctl_long_polls_held", factory: factory)
        storeReadsRunning = CoreMetrics.Gauge(label: "outboundctl_store_reads_running", factory: factory)
        storeReadsWaiting = CoreMetrics.Gauge(label: "outboundctl_store_reads_waiting", factory: factory)
        snapshotBytes = CoreMetrics.Gauge(label: "outboundctl_snapshot_bytes", factory: factory)
        var checks: [CheckOutcome: CoreMetrics.Counter] = [:]
        for channel in OutboundConfig.Channel.outbound {
            for available in [true, false] {
                checks[CheckOutcome(channel: channel, available: available)] = CoreMetrics.Counter(
                    label: "outboundctl_checks_total", dimensions: [("channel", channel.rawValue), ("available", String(available))], factory: factory
                )
            }
        }
        self.checks = checks
    }

    func revisionLoaded(_ snapshot: GateSnapshot) {
        revision.record(snapshot.revision)
        snapshotBytes.record(snapshot.bytes)
        reloads.increment()
    }

    func storeReads(running: Int, waiting: Int) {
        storeReadsRunning.record(running)
        storeReadsWaiting.record(waiting)
    }

    func reloadFailed() { reloadErrors.increment() }

    func logLinesDropped(_ count: Int) { droppedLogLines.increment(by: count) }

    func longPollsHeld(_ count: Int) { heldLongPolls.record(count) }

    func request(route: String, status: Int, nanoseconds: Int64) {
        let key = RouteStatus(route: route, status: status)
        let (counter, timer) = requestMetrics.withLock { made in
            if let pair = made[key] { return pair }
            let pair = (
                CoreMetrics.Counter(
                    label: "outboundctl_http_requests_total", dimensions: [("route", route), ("status", String(status))], factory: factory),
                CoreMetrics.Timer(label: "outboundctl_http_request_duration_seconds", dimensions: [("route", route)], factory: factory)
            )
            made[key] = pair
            return pair
        }
        counter.increment()
        timer.recordNanoseconds(nanoseconds)
    }

    func checked(channel: OutboundConfig.Channel, available: Bool) {
        checks[CheckOutcome(channel: channel, available: available)]?.increment()
    }

    /// The Prometheus text format.
    func exposition() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}
