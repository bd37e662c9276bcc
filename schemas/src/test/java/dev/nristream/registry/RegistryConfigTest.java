package dev.nristream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class RegistryConfigTest {

    @Test
    void defaultsArePinned() {
        RegistryConfig c = RegistryConfig.of("http://127.0.0.1:8081/");
        assertThat(c.url()).isEqualTo("http://127.0.0.1:8081");
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.autoRegister()).isTrue();
        assertThat(c.basicAuthUser()).isEmpty();
        assertThat(c.unknownIdCache()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void readsConfluentKeysAndWritesThemBack() {
        Map<String, Object> m = new HashMap<>();
        m.put("schema.registry.url", "http://reg:8081/apis/ccompat/v7");
        m.put("basic.auth.credentials.source", "USER_INFO");
        m.put("basic.auth.user.info", "alice:s3cr:et");
        m.put("auto.register.schemas", "false");
        m.put("http.connect.timeout.ms", 1500);
        m.put("http.read.timeout.ms", "2500");
        m.put("unknown.schema.id.cache.ms", "0");
        RegistryConfig c = RegistryConfig.fromConfigs(m);
        assertThat(c.url()).isEqualTo("http://reg:8081/apis/ccompat/v7");
        assertThat(c.basicAuthUser()).contains("alice");
        assertThat(c.basicAuthPassword()).contains("s3cr:et");
        assertThat(c.autoRegister()).isFalse();
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(c.unknownIdCache()).isEqualTo(Duration.ZERO);
        assertThat(RegistryConfig.fromConfigs(c.toConfigs())).isEqualTo(c);
    }

    @Test
    void credentialsFromTheUrlAreTakenOutOfIt() {
        RegistryConfig c = RegistryConfig.fromConfigs(Map.of("schema.registry.url", "http://bob:pw%40x@reg:8081",
                "basic.auth.credentials.source", "URL"));
        assertThat(c.url()).isEqualTo("http://reg:8081");
        assertThat(c.basicAuthUser()).contains("bob");
        assertThat(c.basicAuthPassword()).contains("pw@x");
        assertThat(c.toString()).doesNotContain("pw");
    }

    @Test
    void badInputIsNamed() {
        assertThatThrownBy(() -> RegistryConfig.fromConfigs(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("schema.registry.url");
        assertThatThrownBy(() -> RegistryConfig.fromConfigs(Map.of("schema.registry.url", "http://r",
                "basic.auth.user.info", "nocolon")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("basic.auth.user.info");
        assertThatThrownBy(() -> RegistryConfig.fromConfigs(Map.of("schema.registry.url", "http://r",
                "http.read.timeout.ms", "soon")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.read.timeout.ms");
        assertThatThrownBy(() -> RegistryConfig.of("localhost:8081"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("localhost:8081");
        assertThatThrownBy(() -> RegistryConfig.of("http://a:1,http://b:2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only one");
    }
}
