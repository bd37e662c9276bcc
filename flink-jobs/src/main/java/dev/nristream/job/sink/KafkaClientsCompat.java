package dev.nristream.job.sink;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.shaded.asm9.org.objectweb.asm.ClassReader;
import org.apache.flink.shaded.asm9.org.objectweb.asm.ClassVisitor;
import org.apache.flink.shaded.asm9.org.objectweb.asm.ClassWriter;
import org.apache.flink.shaded.asm9.org.objectweb.asm.MethodVisitor;
import org.apache.flink.shaded.asm9.org.objectweb.asm.Opcodes;
import org.apache.kafka.clients.producer.internals.TransactionalRequestResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes flink-connector-kafka 5.0.0-2.2's exactly-once sink work with kafka-clients 4.4. The connector was built
 * against kafka-clients 4.2 and, when it flushes a transaction (every checkpoint), calls
 * {@code TransactionalRequestResult.await()}, which kafka-clients 4.3+ no longer has (it has
 * {@code await(long, TimeUnit, String)}): every EXACTLY_ONCE checkpoint would fail with {@link NoSuchMethodError}.
 * The project pins kafka-clients 4.4 (the in-JVM test and demo broker needs it), so before the connector's
 * {@code FlinkKafkaInternalProducer} is first loaded, this class defines it in its own class loader with that one
 * call redirected to {@link #await(TransactionalRequestResult)}; nothing else in the class changes.
 *
 * <p>Idempotent and cheap; called from the job's classes that are loaded before any Kafka sink writer (the job
 * on the client, {@link RegistryRecordSerializer} on task managers). When kafka-clients has the no-argument
 * {@code await()} again, or a connector release no longer calls it, it does nothing. Remove it once the connector
 * supports the pinned kafka-clients.
 */
public final class KafkaClientsCompat {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaClientsCompat.class);

    static final String TARGET = "org.apache.flink.connector.kafka.sink.internal.FlinkKafkaInternalProducer";
    /** A class of the same package whose loading does not load {@link #TARGET}. */
    static final String ANCHOR = "org.apache.flink.connector.kafka.sink.internal.CheckpointTransaction";
    private static final String RESULT = "org/apache/kafka/clients/producer/internals/TransactionalRequestResult";
    private static final String SELF = KafkaClientsCompat.class.getName().replace('.', '/');

    /** Outcome per class loader. */
    public enum Status { NOT_NEEDED, PATCHED, TOO_LATE, FAILED }

    private static final Map<ClassLoader, Status> DONE = Collections.synchronizedMap(new WeakHashMap<>());

    private KafkaClientsCompat() {
    }

    /** Patches the connector in the class loader that loaded the job's classes. */
    public static Status install() {
        return install(KafkaClientsCompat.class.getClassLoader());
    }

    /** Patches the connector in {@code loader} (once per loader). */
    public static synchronized Status install(ClassLoader loader) {
        Status s = DONE.get(loader);
        if (s == null) {
            s = patch(loader);
            DONE.put(loader, s);
            if (s == Status.PATCHED) {
                LOG.info("flink-connector-kafka: redirected TransactionalRequestResult.await() for kafka-clients 4.4");
            } else if (s == Status.TOO_LATE || s == Status.FAILED) {
                LOG.warn("flink-connector-kafka could not be adapted to this kafka-clients ({}): EXACTLY_ONCE "
                        + "checkpoints will fail with NoSuchMethodError", s);
            }
        }
        return s;
    }

    /** What the connector's call now does: waits, without a time limit, like the removed method. */
    public static void await(TransactionalRequestResult result) {
        result.await(Long.MAX_VALUE, TimeUnit.MILLISECONDS, "flush new partitions");
    }

    private static Status patch(ClassLoader loader) {
        try {
            TransactionalRequestResult.class.getMethod("await");
            return Status.NOT_NEEDED;
        } catch (NoSuchMethodException expected) {
            // kafka-clients 4.3+: patch below
        }
        byte[] original;
        try (InputStream in = loader.getResourceAsStream(TARGET.replace('.', '/') + ".class")) {
            if (in == null) {
                return Status.NOT_NEEDED; // no Kafka connector on this class path
            }
            original = in.readAllBytes();
        } catch (IOException e) {
            LOG.warn("cannot read {}", TARGET, e);
            return Status.FAILED;
        }
        boolean[] found = {false};
        ClassReader reader = new ClassReader(original);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                return new MethodVisitor(Opcodes.ASM9, super.visitMethod(access, name, desc, sig, ex)) {
                    @Override
                    public void visitMethodInsn(int op, String owner, String m, String d, boolean itf) {
                        if (op == Opcodes.INVOKEVIRTUAL && owner.equals(RESULT) && m.equals("await") && d.equals("()V")) {
                            found[0] = true;
                            super.visitMethodInsn(Opcodes.INVOKESTATIC, SELF, "await", "(L" + RESULT + ";)V", false);
                        } else {
                            super.visitMethodInsn(op, owner, m, d, itf);
                        }
                    }
                };
            }
        }, 0);
        if (!found[0]) {
            return Status.NOT_NEEDED;
        }
        try {
            Class<?> anchor = Class.forName(ANCHOR, false, loader);
            MethodHandles.privateLookupIn(anchor, MethodHandles.lookup()).defineClass(writer.toByteArray());
            return Status.PATCHED;
        } catch (LinkageError alreadyLoaded) {
            return Status.TOO_LATE;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("cannot define the adapted {}", TARGET, e);
            return Status.FAILED;
        }
    }
}
