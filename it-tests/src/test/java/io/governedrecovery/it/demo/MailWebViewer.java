package io.governedrecovery.it.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;

import io.governedrecovery.it.harness.HarnessException;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.SmsGatewayStub;
import io.governedrecovery.it.harness.Totp;

/** A small web page that lists what the demo's mail catcher received, newest first, with clickable links. */
final class MailWebViewer implements AutoCloseable {

    private static final Pattern LINK = Pattern.compile("https?://[^\\s\"'<>]+");

    private final HttpServer server;

    MailWebViewer(int port, MailCatcher mail, SmsGatewayStub sms, java.util.Map<String, String> apps) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        } catch (IOException e) {
            throw new HarnessException("Cannot open the mail viewer on port " + port + ": " + e.getMessage(), e);
        }
        server.createContext("/", exchange -> {
            byte[] body = page(mail.all(), sms.all(), apps).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    private static String page(List<MailCatcher.Mail> mails, List<SmsGatewayStub.Sms> texts,
                               java.util.Map<String, String> apps) {
        StringBuilder html = new StringBuilder("""
                <!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
                <title>Demo mail catcher</title><style>
                body{font-family:sans-serif;margin:2em;max-width:60em} .mail{border:1px solid #ccc;padding:1em;margin:1em 0}
                .meta{color:#555;font-size:.9em} pre{white-space:pre-wrap}</style></head><body>
                <h1>Demo mail catcher</h1><p>Every mail and text message the demo Keycloak sends lands here
                (refreshes every 5 s).</p>
                """);
        html.append("<h2>Authenticator apps</h2><p>What each demo user's app shows now:</p><ul>");
        apps.forEach((user, secret) -> html.append("<li>").append(escape(user)).append(": <b>")
                .append(Totp.now(secret)).append("</b></li>"));
        html.append("</ul><h2>Text messages (SMS)</h2>");
        if (texts.isEmpty()) {
            html.append("<p><em>No text message yet.</em></p>");
        }
        for (int i = texts.size() - 1; i >= 0; i--) {
            SmsGatewayStub.Sms text = texts.get(i);
            html.append("<div class=\"mail\"><div class=\"meta\">To ").append(escape(text.to())).append(" at ")
                    .append(text.received()).append("</div><pre>").append(escape(text.text())).append("</pre></div>");
        }
        html.append("<h2>Mails</h2>");
        if (mails.isEmpty()) {
            html.append("<p><em>No mail yet.</em></p>");
        }
        for (int i = mails.size() - 1; i >= 0; i--) {
            MailCatcher.Mail mail = mails.get(i);
            html.append("<div class=\"mail\"><div class=\"meta\">To ").append(escape(mail.to())).append(" at ")
                    .append(mail.received()).append("</div><h3>").append(escape(mail.subject())).append("</h3><pre>")
                    .append(linkify(escape(mail.text().isEmpty() ? mail.html() : mail.text()))).append("</pre></div>");
        }
        return html.append("</body></html>").toString();
    }

    private static String linkify(String escaped) {
        Matcher m = LINK.matcher(escaped);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement("<a href=\"" + m.group() + "\">" + m.group() + "</a>"));
        }
        return m.appendTail(out).toString();
    }

    private static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
