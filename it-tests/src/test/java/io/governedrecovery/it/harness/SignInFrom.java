package io.governedrecovery.it.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A sign-in (a direct grant of admin-cli) sent from a chosen loopback address such as 127.0.4.1, so that Keycloak
 * records it as coming from another network (127.0.4.0/24) without any proxy header: Linux routes all of 127.0.0.0/8
 * to the loopback interface, and the server listens on every address.
 */
public final class SignInFrom {

    private SignInFrom() {
    }

    /** The HTTP status of a password grant for the user, sent from {@code localAddress}. */
    public static int status(TestRealm realm, String localAddress, String username, String password, String totp) {
        URI base = URI.create(realm.server().directUrl());
        return status(realm, localAddress, username, password, totp, base.getHost() + ":" + base.getPort());
    }

    /** The same with the Host header {@code host} (a forged one, say). */
    public static int status(TestRealm realm, String localAddress, String username, String password, String totp,
                             String host) {
        URI base = URI.create(realm.server().directUrl());
        String form = "grant_type=password&client_id=admin-cli&username=" + enc(username) + "&password=" + enc(password)
                + (totp == null ? "" : "&totp=" + enc(totp));
        byte[] body = form.getBytes(StandardCharsets.UTF_8);
        String request = "POST /realms/" + realm.name() + "/protocol/openid-connect/token HTTP/1.1\r\n"
                + "Host: " + host + "\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Connection: close\r\n\r\n";
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", base.getPort()), 10_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String status = answer.substring(0, Math.max(0, answer.indexOf("\r\n")));
            String[] parts = status.split(" ");
            if (parts.length < 2) {
                throw new HarnessException("No HTTP answer to a sign-in from " + localAddress + ": " + answer);
            }
            return Integer.parseInt(parts[1]);
        } catch (IOException e) {
            throw new HarnessException("Sign-in from " + localAddress + " failed: " + e.getMessage(), e);
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
