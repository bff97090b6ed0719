/// The console's one stylesheet and one script, compiled in so that `serve` needs no files
/// beside its binary and no network. Colours meet WCAG AA (text at least 4.5:1 on its
/// background); focus is always visible; narrow screens get one column.
enum ConsoleAssets {
    static let stylesheet = """
        :root { color-scheme: light; --ink: #1b1b1b; --muted: #4a4a4a; --line: #c4c4c4; --link: #0b57d0;
                --ok: #0d652d; --ok-bg: #e6f4ea; --bad: #a50e0e; --bad-bg: #fce8e6; --skip: #5f4b00; --skip-bg: #fef7e0; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
        a { color: var(--link); }
        :focus-visible { outline: 3px solid var(--link); outline-offset: 2px; }
        .skip { position: absolute; left: -999px; }
        .skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px 8px; z-index: 1; }
        header { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 24px; padding: 12px 24px; border-bottom: 1px solid var(--line); }
        .brand { font-weight: 700; }
        nav a { margin-right: 16px; }
        nav a[aria-current="page"] { font-weight: 700; }
        .logout { margin-left: auto; }
        main { max-width: 1200px; padding: 16px 24px 32px; }
        footer { padding: 12px 24px; color: var(--muted); border-top: 1px solid var(--line); }
        h1 { font-size: 1.6rem; margin: 8px 0 16px; }
        h2 { font-size: 1.25rem; margin: 24px 0 8px; }
        form.filters { display: flex; flex-wrap: wrap; gap: 12px 16px; align-items: flex-end; margin: 0 0 16px; }
        label { display: flex; flex-direction: column; font-weight: 600; gap: 4px; }
        input, select, button { font: inherit; padding: 6px 10px; border: 1px solid #767676; border-radius: 4px; background: #fff; color: var(--ink); }
        button { background: var(--link); color: #fff; border-color: var(--link); cursor: pointer; }
        .logout button { background: #fff; color: var(--link); }
        table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; }
        th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
        th { background: #f3f3f3; }
        .verdict { display: inline-block; padding: 2px 10px; border-radius: 12px; font-weight: 700; }
        .available, .passed { color: var(--ok); background: var(--ok-bg); }
        .unavailable, .failed { color: var(--bad); background: var(--bad-bg); }
        .skipped { color: var(--skip); background: var(--skip-bg); }
        td.outcome { font-weight: 700; }
        tr[data-outcome="failed"] td:first-child { border-left: 4px solid var(--bad); }
        .source { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.9rem; overflow-wrap: anywhere; }
        .counts { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 16px; }
        figure { margin: 0; padding: 12px; border: 1px solid var(--line); border-radius: 6px; }
        figcaption { font-weight: 700; }
        svg.chart { width: 100%; height: auto; }
        svg.chart text { fill: var(--ink); font-size: 14px; }
        svg.chart rect { fill: var(--bad); }
        .pager { display: flex; gap: 16px; align-items: center; }
        .notice { padding: 8px 12px; border-left: 4px solid var(--bad); background: var(--bad-bg); }
        .muted { color: var(--muted); }
        @media (max-width: 700px) {
          header, main, footer { padding-left: 12px; padding-right: 12px; }
          table.stack thead { position: absolute; left: -999px; }
          table.stack tr { display: block; border-bottom: 2px solid var(--line); padding: 4px 0; }
          table.stack td { display: block; border: 0; padding: 2px 4px; }
          table.stack td::before { content: attr(data-label) ": "; font-weight: 700; }
        }

        """

    static let script = """
        // Suggestions as you type in the agent search: fills the datalist from /suggest. The
        // form works without this script (it lists matches on /agents); values are set as
        // properties, never as markup.
        (function () {
          var input = document.getElementById("agent-search");
          var list = document.getElementById("agent-suggestions");
          if (!input || !list || !window.fetch) { return; }
          var timer = null;
          input.addEventListener("input", function () {
            clearTimeout(timer);
            timer = setTimeout(function () {
              var text = input.value.trim();
              if (text === "") { return; }
              fetch("/suggest?q=" + encodeURIComponent(text), { credentials: "same-origin" })
                .then(function (answer) { return answer.ok ? answer.json() : { agents: [] }; })
                .then(function (found) {
                  if (text !== input.value.trim()) { return; }
                  var options = found.agents.map(function (agent) {
                    var option = document.createElement("option");
                    option.value = agent.id;
                    option.label = agent.name ? agent.name + " (" + agent.id + ")" : agent.id;
                    return option;
                  });
                  list.replaceChildren.apply(list, options);
                })
                .catch(function () {});
            }, 150);
          });
        })();

        """
}
