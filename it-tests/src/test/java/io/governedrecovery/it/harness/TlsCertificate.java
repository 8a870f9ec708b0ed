package io.governedrecovery.it.harness;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1}, generated at test time with openssl (PEM
 * files, as Keycloak's --https-certificate-file and nginx take them), and an SSLContext that trusts it.
 */
public final class TlsCertificate {

    private final Path certificate;
    private final Path key;
    private final SSLContext sslContext;

    private TlsCertificate(Path certificate, Path key) {
        this.certificate = certificate;
        this.key = key;
        this.sslContext = trusting(certificate);
    }

    /** Generates a new key and certificate (valid two days) under {@code dir}. */
    public static TlsCertificate generate(Path dir) {
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new HarnessException("Cannot create " + dir + ": " + e.getMessage(), e);
        }
        Processes.run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", key.toString(), "-out", cert.toString()), dir.resolve("openssl.log"));
        return new TlsCertificate(cert, key);
    }

    public Path certificate() {
        return certificate;
    }

    public Path key() {
        return key;
    }

    /** Trusts this certificate only. */
    public SSLContext sslContext() {
        return sslContext;
    }

    private static SSLContext trusting(Path certificate) {
        try (InputStream in = Files.newInputStream(certificate)) {
            Certificate cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("governed-recovery-test", cert);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new HarnessException("Cannot trust the generated certificate " + certificate + ": " + e.getMessage(),
                    e);
        }
    }
}
