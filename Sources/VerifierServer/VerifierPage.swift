import DataIntegrity
import Ed25519OpenSSL
import Hummingbird
import HTTPTypes
import NIOCore

/// `GET /`: one self-contained HTML page (its style and script inline, nothing fetched but `POST /v1/inspect`),
/// served under a Content-Security-Policy that allows exactly that style and that script, by their SHA-256.
struct VerifierPage: Sendable {
    let html: [UInt8]
    let contentSecurityPolicy: String

    init() {
        html = Array(Self.document.utf8)
        func source(_ text: String) -> String { "'sha256-\(Self.base64(SHA256.hash(Array(text.utf8))))'" }
        contentSecurityPolicy = [
            "default-src 'none'", "script-src \(source(Self.script))", "style-src \(source(Self.style))",
            "connect-src 'self'", "img-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
        ].joined(separator: "; ")
    }

    func response(headOnly: Bool) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        headers[.cacheControl] = "no-cache"
        if headOnly {
            headers[.contentLength] = String(html.count)
            return Response(status: .ok, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: html)))
    }

    /// Standard base64 with padding, as CSP hash sources are written.
    static func base64(_ bytes: [UInt8]) -> String {
        var text = Multibase.encodeBase64url(bytes).dropFirst().map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 }
        while text.count % 4 != 0 { text.append("=") }
        return String(text)
    }

    static let document = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Verify a micro-credential — mcred</title>
        <style>\(style)</style>
        </head>
        <body>
        <header><h1>Verify a micro-credential</h1>
        <p>Check that a credential was signed by its issuer, has not been altered, and is in force. The credential is \
        checked on this server and is not stored.</p></header>
        <main>
        <section aria-labelledby="input-heading">
        <h2 id="input-heading">Credential</h2>
        <div id="drop" class="drop">
        <p>Drop a credential file (JSON) here, or</p>
        <label for="file" class="button">Choose a file</label>
        <input type="file" id="file" accept=".json,.jsonld,application/json,application/vc,application/ld+json">
        </div>
        <label for="paste">Or paste the credential's JSON</label>
        <textarea id="paste" rows="8" spellcheck="false" autocomplete="off"></textarea>
        <button type="button" id="verify-pasted">Verify pasted JSON</button>
        </section>
        <section id="result" aria-live="polite" aria-labelledby="result-heading">
        <h2 id="result-heading">Result</h2>
        <p id="status">No credential checked yet.</p>
        <p id="error" role="alert" hidden></p>
        <div id="report" hidden>
        <p id="verdict"></p>
        <p id="reason"></p>
        <dl id="summary"></dl>
        <h3>Checks</h3>
        <ul id="checks"></ul>
        <h3>EU micro-credential elements</h3>
        <dl id="elements"></dl>
        </div>
        </section>
        </main>
        <script>\(script)</script>
        </body>
        </html>

        """

    static let style = """
        body{font-family:system-ui,sans-serif;line-height:1.45;margin:0 auto;max-width:52rem;padding:1rem;color:#1b1b1b;\
        background:#fff}
        h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.25rem;margin-top:1.5rem}h3{font-size:1.05rem}
        .drop{border:2px dashed #666;border-radius:.5rem;padding:1rem;text-align:center;margin-bottom:1rem}
        .drop.over{background:#eef4ff;border-color:#1a56c4}
        input[type=file]{position:absolute;width:1px;height:1px;opacity:0}
        input[type=file]:focus+*{outline:none}
        .button,button{display:inline-block;font:inherit;padding:.5rem 1rem;border:1px solid #1a56c4;border-radius:.4rem;\
        background:#1a56c4;color:#fff;cursor:pointer}
        .drop:focus-within .button,button:focus-visible{outline:3px solid #f2a900;outline-offset:2px}
        label{display:block;font-weight:600;margin:.5rem 0 .25rem}.drop label{display:inline-block}
        textarea{width:100%;box-sizing:border-box;font-family:ui-monospace,monospace;font-size:.9rem}
        #verdict{font-size:1.4rem;font-weight:700;padding:.6rem 1rem;border-radius:.4rem}
        .valid{background:#e3f5e6;color:#0b5a1b}.invalid{background:#fde5e4;color:#8a1410}\
        .not-verified{background:#eceff3;color:#333}
        #error{background:#fde5e4;color:#8a1410;padding:.6rem 1rem;border-radius:.4rem}
        #checks{list-style:none;padding:0}#checks li{padding:.35rem 0;border-bottom:1px solid #ddd}
        .badge{display:inline-block;min-width:8.5rem;margin-right:.5rem;font-weight:700}
        .pass .badge{color:#0b5a1b}.fail .badge{color:#8a1410}.indeterminate .badge{color:#555}
        dl{display:grid;grid-template-columns:minmax(8rem,16rem) 1fr;gap:.3rem 1rem}dt{font-weight:600}\
        dd{margin:0;white-space:pre-line;overflow-wrap:anywhere}
        @media (max-width:32rem){dl{grid-template-columns:1fr}dd{margin-bottom:.4rem}.badge{min-width:0;display:block}}
        """

    static let script = """
        'use strict';
        const $ = (id) => document.getElementById(id);
        const verdicts = {valid: 'VALID', invalid: 'INVALID', 'not-verified': 'NOT VERIFIED'};
        const marks = {pass: '\\u2714 pass', fail: '\\u2718 fail', indeterminate: '? indeterminate'};
        function clear() {
          $('error').hidden = true; $('report').hidden = true;
          for (const id of ['checks', 'summary', 'elements']) $(id).replaceChildren();
        }
        function showError(message) {
          clear(); $('status').textContent = 'The credential could not be checked.';
          $('error').textContent = message; $('error').hidden = false;
          $('result').scrollIntoView();
        }
        function term(list, name, value) {
          const dt = document.createElement('dt'); dt.textContent = name;
          const dd = document.createElement('dd'); dd.textContent = value;
          list.append(dt, dd);
        }
        function render(inspection, source) {
          clear();
          const report = inspection.verification;
          const verdict = $('verdict');
          verdict.className = report.outcome;
          verdict.textContent = 'Verdict: ' + (verdicts[report.outcome] || report.outcome);
          const failed = [...new Set(report.checks.filter((check) => check.status === 'fail').map((check) => check.name))];
          const open = [...new Set(report.checks.filter((check) => check.status === 'indeterminate').map((check) => check.name))];
          $('reason').textContent = failed.length > 0 ? 'Failed: ' + failed.join(', ') + '.'
            : open.length > 0 ? 'Could not be checked here: ' + open.join(', ') + '.' : 'Every check passed.';
          const credential = report.credential || {};
          term($('summary'), 'Credential', credential.id || '(no id)');
          term($('summary'), 'Issuer', credential.issuer || '(none)');
          const trust = report.checks.find((check) => check.id === 'trust' && check.status !== 'indeterminate');
          if (trust) term($('summary'), 'Awarding body', trust.message);
          for (const check of report.checks) {
            const item = document.createElement('li'); item.className = check.status;
            const badge = document.createElement('span'); badge.className = 'badge';
            badge.textContent = marks[check.status] || check.status;
            const name = document.createElement('strong'); name.textContent = check.name;
            item.append(badge, name, document.createTextNode(' \\u2014 ' + check.message));
            $('checks').append(item);
          }
          for (const element of inspection.elements) {
            if (element.value === null && !element.mandatory) continue;
            term($('elements'), element.number + '. ' + element.name, element.value === null ? '(missing)' : element.value);
          }
          $('status').textContent = 'Checked ' + source + '.';
          $('report').hidden = false;
          $('result').scrollIntoView();
        }
        async function check(text, source) {
          $('status').textContent = 'Checking\\u2026';
          let response;
          try {
            response = await fetch('/v1/inspect', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: text});
          } catch (error) {
            showError('The verifier could not be reached: ' + error.message); return;
          }
          let body = null;
          try { body = await response.json(); } catch (error) { body = null; }
          if (!response.ok || !body) {
            showError(body && body.detail ? body.detail : 'The verifier answered ' + response.status + '.'); return;
          }
          render(body, source);
        }
        async function checkFile(file) {
          if (!file) return;
          check(await file.text(), file.name);
        }
        $('file').addEventListener('change', (event) => { checkFile(event.target.files[0]); event.target.value = ''; });
        $('verify-pasted').addEventListener('click', () => {
          const text = $('paste').value;
          if (text.trim() === '') { showError('Paste a credential first: the box is empty.'); return; }
          check(text, 'pasted JSON');
        });
        const drop = $('drop');
        drop.addEventListener('dragover', (event) => { event.preventDefault(); drop.classList.add('over'); });
        drop.addEventListener('dragleave', () => drop.classList.remove('over'));
        drop.addEventListener('drop', (event) => {
          event.preventDefault(); drop.classList.remove('over');
          checkFile(event.dataTransfer.files[0]);
        });
        """
}
