package io.nnft.training;

import io.nnft.imageio.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code training_log.json}: one object per epoch (train_loss, val_loss, pseudo_dice per class, mean and EMA
 * pseudo-Dice, lr, epoch time, data wait), plus how training ended. The same text is embedded in every
 * checkpoint so a resume restores the full log.
 */
public final class TrainingLogFile {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TrainingLogFile() {
    }

    public static String toJson(List<EpochRecord> log, List<String> classNames, String stopReason) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode names = root.putArray("classes");
        classNames.forEach(names::add);
        if (stopReason != null) {
            root.put("stop_reason", stopReason);
        }
        ArrayNode epochs = root.putArray("epochs");
        for (EpochRecord r : log) {
            ObjectNode e = epochs.addObject();
            e.put("epoch", r.epoch());
            e.put("train_loss", r.trainLoss());
            e.put("val_loss", r.valLoss());
            ArrayNode d = e.putArray("pseudo_dice");
            for (double v : r.pseudoDice()) {
                if (Double.isNaN(v)) {
                    d.addNull();
                } else {
                    d.add(v);
                }
            }
            putNumber(e, "mean_pseudo_dice", r.meanPseudoDice());
            putNumber(e, "ema_pseudo_dice", r.emaPseudoDice());
            e.put("lr", r.lr());
            e.put("epoch_start", r.epochStartSeconds());
            e.put("epoch_end", r.epochEndSeconds());
            e.put("epoch_time_s", r.epochTimeSeconds());
            e.put("data_wait_s", r.dataWaitSeconds());
            e.put("trainable_tensors", r.trainableTensors());
        }
        return root.toPrettyString();
    }

    /** NaN (e.g. no foreground in any validation batch yet) as JSON null: JSON has no NaN. */
    public static void putNumber(ObjectNode n, String key, double v) {
        if (Double.isNaN(v)) {
            n.putNull(key);
        } else {
            n.put(key, v);
        }
    }

    public static List<EpochRecord> parse(String json, String where) {
        try {
            JsonNode root = MAPPER.readTree(json);
            List<EpochRecord> out = new ArrayList<>();
            for (JsonNode e : root.path("epochs")) {
                JsonNode d = e.path("pseudo_dice");
                double[] dice = new double[d.size()];
                for (int i = 0; i < dice.length; i++) {
                    dice[i] = d.get(i).isNull() ? Double.NaN : d.get(i).asDouble();
                }
                out.add(new EpochRecord(e.get("epoch").asInt(), e.get("train_loss").asDouble(),
                        e.get("val_loss").asDouble(), dice, number(e, "mean_pseudo_dice"), number(e, "ema_pseudo_dice"),
                        e.get("lr").asDouble(), e.get("epoch_start").asDouble(), e.get("epoch_end").asDouble(),
                        e.path("data_wait_s").asDouble(), e.path("trainable_tensors").asInt()));
            }
            return out;
        } catch (IOException | NullPointerException e) {
            throw new IllegalArgumentException(where + ": training log is not the expected JSON: " + e.getMessage(), e);
        }
    }

    /** Reads what {@link #putNumber} wrote: null or absent as NaN. */
    public static double number(JsonNode e, String key) {
        JsonNode v = e.get(key);
        return v == null || v.isNull() ? Double.NaN : v.asDouble();
    }

    /** Written under a temporary name and moved into place. */
    public static void write(Path file, String json) throws IOException {
        AtomicFiles.write(file, tmp -> Files.writeString(tmp, json));
    }
}
