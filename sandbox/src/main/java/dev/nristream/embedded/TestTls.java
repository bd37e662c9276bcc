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
 * keystore, and a truststore holding that certificate, made with the running JDK's {@code keytool} (the JDK has no
 * API for making certificates). For tests only: a throwaway key valid for two days.
 *
 * <pre>{@code
 * TestTls tls = TestTls.generate(tmpDir);
 * EmbeddedKafka kafka = EmbeddedKafka.builder().withSaslPlain("admin", "pw", Map.of()).withTls(tls).start();
 * }</pre>
 *
 * @param keystore the broker's key and certificate
 * @param truststore the certificate clients trust
 * @param password of both stores and the key
 */
public record TestTls(Path keystore, Path truststore, String password) {

    /** Makes the two stores in {@code dir}. */
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
        return new TestTls(ks, ts, pw);
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
