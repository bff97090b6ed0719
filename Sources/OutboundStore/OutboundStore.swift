// The SQLite store (GRDB): revisions, apply, and the outbound_availability view.
// Built on OutboundConfig; see docs/store.md once it lands.
import OutboundConfig
