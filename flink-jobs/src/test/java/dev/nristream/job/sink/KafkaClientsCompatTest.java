package dev.nristream.job.sink;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.clients.producer.internals.TransactionalRequestResult;
import org.junit.jupiter.api.Test;

class KafkaClientsCompatTest {

    @Test
    void theConnectorIsAdaptedBeforeItsProducerLoads() throws Exception {
        boolean clientsLackAwait;
        try {
            TransactionalRequestResult.class.getMethod("await");
            clientsLackAwait = false;
        } catch (NoSuchMethodException e) {
            clientsLackAwait = true;
        }
        KafkaClientsCompat.Status s = KafkaClientsCompat.install();
        if (clientsLackAwait) {
            assertThat(s).isEqualTo(KafkaClientsCompat.Status.PATCHED);
        } else {
            assertThat(s).isEqualTo(KafkaClientsCompat.Status.NOT_NEEDED);
        }
        // Idempotent, and the adapted class is the one the connector now loads.
        assertThat(KafkaClientsCompat.install()).isEqualTo(s);
        Class<?> producer = Class.forName(KafkaClientsCompat.TARGET);
        assertThat(producer.getClassLoader()).isEqualTo(KafkaClientsCompat.class.getClassLoader());
    }

    @Test
    void theRedirectWaitsForTheResult() {
        TransactionalRequestResult r = new TransactionalRequestResult("test");
        r.done();
        KafkaClientsCompat.await(r);
        assertThat(r.isSuccessful()).isTrue();
    }
}
