package dev.nristream.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * TLS material for a test broker: a self-signed certificate for {@code localhost} and {@code 127.0.0.1} in a PKCS12
 * keystore, a client's self-signed certificate in another (for mutual TLS, {@code ssl.client.auth=required}), and
 * one truststore holding both certificates, made with the running JDK's {@code keytool} (the JDK has no API for
 * making certificates). For tests only: throwaway keys valid for two days.
 *
 * <pre>{@code
 * TestTls tls = TestTls.generate(tmpDir);
 * EmbeddedKafka kafka = EmbeddedKafka.builder().withSaslPlain("admin", "pw", Map.of()).withTls(tls).start();
 * }</pre>
 *
 * @param keystore the broker's key and certificate
 * @param truststore the certificates clients and the broker trust (the broker's and the client's)
 * @param clientKeystore a client's key and certificate (CN=nri-client), for brokers that require client certificates
 * @param password of every store and key
 */
public record TestTls(Path keystore, Path truststore, Path clientKeystore, String password) {

    /** Makes the three stores in {@code dir}. */
    public static TestTls generate(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path ks = dir.resolve("broker.p12");
        Path ts = dir.resolve("truststore.p12");
        Path cert = dir.resolve("broker.pem");
        String pw = "test-store-pw";
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", ks.toString(), "-storepass", pw, "-keypass", pw);
        keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", ks.toString(), "-storepass", pw, "-file",
                cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", ts.toString(), "-storepass", pw);
        Path client = dir.resolve("client.p12");
        Path clientCert = dir.resolve("client.pem");
        keytool("-genkeypair", "-alias", "client", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=nri-client", "-storetype", "PKCS12", "-keystore", client.toString(), "-storepass", pw,
                "-keypass", pw);
        keytool("-exportcert", "-rfc", "-alias", "client", "-keystore", client.toString(), "-storepass", pw, "-file",
                clientCert.toString());
        keytool("-importcert", "-noprompt", "-alias", "client", "-file", clientCert.toString(), "-storetype",
                "PKCS12", "-keystore", ts.toString(), "-storepass", pw);
        writeClientPem(client, dir.resolve(CLIENT_PEM), pw);
        return new TestTls(ks, ts, client, pw);
    }

    private static final String CLIENT_PEM = "client-key-and-cert.pem";

    /** The broker's certificate as PEM: the truststore of clients that read PEM only (librdkafka, OpenSSL). */
    public Path brokerCertificatePem() {
        return keystore.resolveSibling("broker.pem");
    }

    /**
     * The client's unencrypted PKCS#8 key followed by its certificate, as PEM: a keystore for {@code
     * ssl.keystore.type=PEM} (Java clients) or {@code ssl.key.location} and {@code ssl.certificate.location}
     * (librdkafka).
     */
    public Path clientPem() {
        return clientKeystore.resolveSibling(CLIENT_PEM);
    }

    private static void writeClientPem(Path p12, Path pem, String pw) throws IOException {
        try (var in = Files.newInputStream(p12)) {
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            ks.load(in, pw.toCharArray());
            java.security.Key key = ks.getKey("client", pw.toCharArray());
            java.security.cert.Certificate cert = ks.getCertificate("client");
            java.util.Base64.Encoder b64 = java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
            Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n" + b64.encodeToString(key.getEncoded())
                    + "\n-----END PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\n" + b64.encodeToString(cert.getEncoded())
                    + "\n-----END CERTIFICATE-----\n");
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot write " + pem + " from " + p12 + ": " + e, e);
        }
    }

    private static void keytool(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("keytool " + args[0] + " did not finish in 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("keytool " + args[0] + " failed (exit " + p.exitValue() + "): " + out.strip());
        }
    }
}
