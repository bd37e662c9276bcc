package dev.nristream.analytics;

import dev.nristream.registry.RegistryException;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Skips records that do not decode, counted and sampled in the log by {@link UndecodableLog}, so one poison pill
 * does not stop the analytics and a flood of them does not flood the log; fails when the
 * schema registry is unreachable: skipping then would silently drop good records. The stream thread that fails
 * is replaced and retries from its last commit (see {@link AnalyticsService}).
 */
public final class SkipUndecodableHandler implements DeserializationExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SkipUndecodableHandler.class);

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        if (registryUnreachable(exception)) {
            LOG.error("{}-{}@{}: schema registry unreachable; failing so the record is retried, not skipped",
                    record.topic(), record.partition(), record.offset(), exception);
            return Response.fail();
        }
        UndecodableLog.shared().skipped(record.topic(), record.partition(), record.offset(), exception);
        return Response.resume();
    }

    static boolean registryUnreachable(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof RegistryException r && r.reason() == RegistryException.Reason.UNREACHABLE) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
