package dev.nristream.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

class SceneKeysTest {

    @Test
    void keysOfOneSceneSortByTimeIncludingNegativeTimes() {
        List<Bytes> keys = new ArrayList<>();
        for (long t : new long[] {5, -3, 0, Long.MAX_VALUE, 1_700_000_000_000L, Long.MIN_VALUE, -1}) {
            keys.add(SceneKeys.at("s", t));
        }
        keys.sort(Bytes::compareTo);
        assertThat(keys).extracting(SceneKeys::timeOf)
                .containsExactly(Long.MIN_VALUE, -3L, -1L, 0L, 5L, 1_700_000_000_000L, Long.MAX_VALUE);
    }

    @Test
    void aSceneIdThatPrefixesAnotherDoesNotShareItsKeys() {
        Bytes p = SceneKeys.prefix("s");
        Bytes other = SceneKeys.at("s1", 0);
        byte[] o = other.get();
        boolean shares = o.length >= p.get().length;
        for (int i = 0; shares && i < p.get().length; i++) {
            shares = o[i] == p.get()[i];
        }
        assertThat(shares).isFalse();
        assertThat(SceneKeys.timeOf(SceneKeys.at("s1", 42, SceneKeys.suffix("m", 7)))).isEqualTo(42);
    }
}
