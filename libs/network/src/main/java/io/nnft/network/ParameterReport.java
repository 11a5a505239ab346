package io.nnft.network;

import ai.djl.nn.Block;

import java.util.ArrayList;
import java.util.List;

/** Every parameter with its shape and whether it trains — what `nnft inspect` prints. */
public final class ParameterReport {
    public record Row(String key, long[] shape, long count, boolean trainable) {
    }

    private ParameterReport() {
    }

    public static List<Row> of(Block net) {
        List<Row> rows = new ArrayList<>();
        for (NamedParameter p : StateDict.parameters(net).values()) {
            long[] shape = p.parameter().getShape().getShape().clone();
            rows.add(new Row(p.key(), shape, p.parameter().getShape().size(), p.trainable()));
        }
        return rows;
    }

    /** Tab-separated lines (key, shape, trainable) and a summary line. */
    public static String format(List<Row> rows) {
        StringBuilder sb = new StringBuilder("key\tshape\ttrainable\n");
        long total = 0;
        long trainable = 0;
        for (Row r : rows) {
            sb.append(r.key()).append('\t').append(java.util.Arrays.toString(r.shape())).append('\t')
                    .append(r.trainable()).append('\n');
            total += r.count();
            trainable += r.trainable() ? r.count() : 0;
        }
        sb.append("# ").append(rows.size()).append(" tensors, ").append(total).append(" values, ")
                .append(trainable).append(" trainable\n");
        return sb.toString();
    }
}
