package dev.nristream.trainer.train;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.nristream.trainer.model.NriModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Converts between a model (plus optimizer) and a {@link Checkpoint}. */
public final class ModelCheckpoints {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String ADAM_PREFIX = "adam.";

    private ModelCheckpoints() {}

    /** Model parameters, buffers and (when given) Adam moments, with the header. */
    public static Checkpoint capture(Map<String, Object> header, NriModel model, Adam adam) {
        Map<String, NDArray> all = tensors(model);
        if (adam != null) {
            adam.state().forEach((k, v) -> all.put(ADAM_PREFIX + k, v));
        }
        try {
            return new Checkpoint(JSON.writeValueAsString(header), Checkpoint.snapshot(all));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The model's parameters and buffers by name, as a checkpoint holds them. */
    private static Map<String, NDArray> tensors(NriModel model) {
        Map<String, NDArray> all = new LinkedHashMap<>();
        all.putAll(model.store().params());
        all.putAll(model.store().buffers());
        return all;
    }

    /** The checkpoint's header: epoch, best epoch, Adam steps and the like. */
    public static Map<String, Object> header(Checkpoint ck) {
        try {
            return JSON.readValue(ck.headerJson(), new TypeReference<Map<String, Object>>() {});
        } catch (IOException ex) {
            throw new IllegalArgumentException("checkpoint header is not JSON", ex);
        }
    }

    /**
     * Loads a model from two checkpoints that each hold part of it (an encoder trained alone and a decoder trained
     * alone): every tensor must be in exactly one of them.
     *
     * @return the first checkpoint's header
     */
    public static Map<String, Object> restorePaired(Checkpoint first, Checkpoint second, NriModel model) {
        Map<String, NDArray> wanted = tensors(model);
        for (String name : wanted.keySet()) {
            Checkpoint.Tensor a = first.tensors().get(name);
            Checkpoint.Tensor b = second.tensors().get(name);
            if (a != null && b != null) {
                throw new IllegalArgumentException("both checkpoints hold tensor " + name + ": pair an encoder-only "
                        + "run with a decoder-only run");
            }
            Checkpoint.Tensor t = a != null ? a : b;
            if (t == null) {
                throw new IllegalArgumentException("neither checkpoint holds tensor " + name
                        + " (were they written by models with different flags?)");
            }
            model.store().assign(name, t.data(), new Shape(t.shape()));
        }
        return header(first);
    }

    /** Whether a tensor name is the decoder's (MLP or recurrent); the rest is the encoder's (MLP or CNN). */
    static boolean isDecoderTensor(String name) {
        return name.startsWith("dec.") || name.startsWith("rdec.");
    }

    /** Whether the checkpoint holds no encoder: a decoder trained alone (--graph true or full). */
    public static boolean decoderOnly(Checkpoint ck) {
        return ck.tensors().keySet().stream().noneMatch(k -> !k.startsWith(ADAM_PREFIX) && !isDecoderTensor(k));
    }

    /** Whether the model has an encoder (a learned or supervised graph). */
    public static boolean hasEncoder(NriModel model) {
        return tensors(model).keySet().stream().anyMatch(k -> !isDecoderTensor(k));
    }

    /**
     * Loads the decoder's parameters and buffers only; the encoder keeps what it has (fine-tuning a learned-graph
     * model from a decoder trained alone).
     *
     * @return the checkpoint's header
     */
    public static Map<String, Object> restoreDecoder(Checkpoint ck, NriModel model) {
        for (String name : tensors(model).keySet()) {
            if (isDecoderTensor(name)) {
                Checkpoint.Tensor t = ck.tensors().get(name);
                if (t == null) {
                    throw new IllegalArgumentException("checkpoint lacks decoder tensor " + name
                            + " (was it written by a decoder with different flags?)");
                }
                model.store().assign(name, t.data(), new Shape(t.shape()));
            }
        }
        return header(ck);
    }

    /**
     * Loads parameters and buffers into the model and, when given and present, the optimizer state.
     *
     * @return the checkpoint's header
     */
    public static Map<String, Object> restore(Checkpoint ck, NriModel model, Adam adam) {
        Map<String, NDArray> wanted = tensors(model);
        for (String name : wanted.keySet()) {
            Checkpoint.Tensor t = ck.tensors().get(name);
            if (t == null) {
                throw new IllegalArgumentException("checkpoint lacks tensor " + name
                        + " (was it written by a model with different flags?)");
            }
            model.store().assign(name, t.data(), new Shape(t.shape()));
        }
        Map<String, Object> header = header(ck);
        if (adam != null) {
            Map<String, float[]> state = new HashMap<>();
            ck.tensors().forEach((k, v) -> {
                if (k.startsWith(ADAM_PREFIX)) {
                    state.put(k.substring(ADAM_PREFIX.length()), v.data());
                }
            });
            adam.restore(((Number) header.get("adam_steps")).longValue(), state);
        }
        return header;
    }
}
