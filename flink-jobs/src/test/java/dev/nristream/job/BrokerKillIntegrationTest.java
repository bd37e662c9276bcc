package dev.nristream.job;

import dev.nristream.embedded.EmbeddedKafka;
import dev.nristream.testing.FlinkMiniCluster;
import dev.nristream.testing.RealServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link BrokerRestartIntegrationTest}'s scenario with the broker killed (SIGKILL: no controlled shutdown, open
 * transactions of the job's sink and the feed's in-flight batches cut off) instead of stopped, then started
 * again on the same log directories, which it recovers as after a crash. The same count check: every frame once
 * in the topic, every window's graph once (read_committed), no dead letter; neither feed nor job restarted by
 * hand. The process dies, not the machine: what the broker acknowledged is in the page cache and survives; a
 * power loss would need replication (acks=all with min.insync.replicas >= 2), which one broker cannot show.
 */
@ExtendWith({RealServices.class, FlinkMiniCluster.class})
class BrokerKillIntegrationTest {

    @Test
    void brokerKilledUnderLoadLosesAndDuplicatesNothing() throws Exception {
        BrokerRestartIntegrationTest.brokerOutageUnderLoad("kafka-broker-kill.log", EmbeddedKafka::kill);
    }
}
