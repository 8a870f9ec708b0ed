package io.governedrecovery.it.harness;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Loopback port helpers. */
public final class Ports {

    private Ports() {
    }

    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new HarnessException("Cannot find a free loopback port: " + e.getMessage(), e);
        }
    }

    /** Fails with one clear line when a fixed port (the demo's) is already taken. */
    public static void requireFree(int port, String purpose) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new HarnessException("Port " + port + " (" + purpose + ") is already in use: stop what runs there "
                    + "(for example an earlier demo) and try again.");
        }
    }
}
