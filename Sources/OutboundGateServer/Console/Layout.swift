/// The frame of every console page: language, viewport, the one stylesheet and script, the
/// navigation (with a logout button when there is a session) and the served revision.
enum Layout {
    enum Section { case search, overview, revisions }

    static func page(title: String, section: Section?, signedIn: Bool, revision: Int, _ body: HTML) -> HTML {
        func link(_ target: Section, _ path: String, _ label: String) -> HTML {
            target == section ? "<a href=\"\(path)\" aria-current=\"page\">\(label)</a>" : "<a href=\"\(path)\">\(label)</a>"
        }
        let logout: HTML = signedIn ? "<form method=\"post\" action=\"/logout\" class=\"logout\"><button type=\"submit\">Log out</button></form>" : ""
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) · outboundctl</title>
            <link rel="stylesheet" href="/console/style.css">
            <script src="/console/console.js" defer></script>
            </head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            <header>
            <span class="brand">outboundctl</span>
            <nav aria-label="Console">\(link(.search, "/", "Search")) \(link(.overview, "/overview", "Overview")) \(link(.revisions, "/revisions", "Revisions"))</nav>
            \(logout)
            </header>
            <main id="main">
            \(body)
            </main>
            <footer>Serving store revision \(revision).</footer>
            </body>
            </html>

            """
    }
}
