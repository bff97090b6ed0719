import CoreMetrics
import Foundation
import OutboundConfig
import Prometheus

/// The server's metrics (SPEC §6), in a registry of its own: `/metrics` renders it, and
/// nothing is bootstrapped process-wide.
final class GateMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private let revision: CoreMetrics.Gauge
    private let reloads: CoreMetrics.Counter
    private let reloadErrors: CoreMetrics.Counter
    private let droppedLogLines: CoreMetrics.Counter
    /// `outboundctl_checks_total` by channel and outcome: made once, as a batch counts up to
    /// 1,000 answers.
    private let checks: [String: CoreMetrics.Counter]

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
        var checks: [String: CoreMetrics.Counter] = [:]
        for channel in OutboundConfig.Channel.outbound.map(\.rawValue) {
            for available in [true, false] {
                checks["\(channel) \(available)"] = CoreMetrics.Counter(
                    label: "outboundctl_checks_total", dimensions: [("channel", channel), ("available", String(available))], factory: factory)
            }
        }
        self.checks = checks
    }

    func revisionLoaded(_ number: Int) {
        revision.record(number)
        reloads.increment()
    }

    func reloadFailed() { reloadErrors.increment() }

    func logLinesDropped(_ count: Int) { droppedLogLines.increment(by: count) }

    func request(route: String, status: Int, nanoseconds: Int64) {
        CoreMetrics.Counter(label: "outboundctl_http_requests_total", dimensions: [("route", route), ("status", String(status))], factory: factory).increment()
        CoreMetrics.Timer(label: "outboundctl_http_request_duration_seconds", dimensions: [("route", route)], factory: factory)
            .recordNanoseconds(nanoseconds)
    }

    func checked(channel: OutboundConfig.Channel, available: Bool) {
        checks["\(channel.rawValue) \(available)"]?.increment()
    }

    /// The Prometheus text format.
    func exposition() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}
