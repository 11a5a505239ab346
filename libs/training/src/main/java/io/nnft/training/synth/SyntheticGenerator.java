package io.nnft.training.synth;

import java.util.SplittableRandom;

/**
 * Generates cases of a {@link SyntheticTask}: a (z, y, x) volume of N(0, σ²) noise holding two objects per
 * foreground class at random positions, each filled with one intensity drawn from [1.5, 2] (same range for
 * both classes), so intensity alone cannot tell the classes apart.
 */
public final class SyntheticGenerator {
    private final SyntheticTask task;
    private final int[] shape;
    private final double noiseSigma;
    private final long seed;

    public SyntheticGenerator(SyntheticTask task, int[] shape, double noiseSigma, long seed) {
        if (shape.length != 3 || shape[0] < 16 || shape[1] < 16 || shape[2] < 16) {
            throw new IllegalArgumentException("synthetic shape: expected 3 axes of at least 16 voxels, found "
                    + java.util.Arrays.toString(shape));
        }
        this.task = task;
        this.shape = shape.clone();
        this.noiseSigma = noiseSigma;
        this.seed = seed;
    }

    public SyntheticCase generate(int index) {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + index);
        int v = shape[0] * shape[1] * shape[2];
        float[] img = new float[v];
        short[] lab = new short[v];
        for (int k = 0; k < 4; k++) {
            short label = (short) (k % 2 == 0 ? 1 : 2);
            double intensity = 1.5 + 0.5 * r.nextDouble();
            double size = 3 + 2.5 * r.nextDouble();
            int[] c = new int[3];
            for (int d = 0; d < 3; d++) {
                int margin = (int) Math.ceil(size * (label == 2 && d == 2 ? 1.8 : 1.0)) + 1;
                c[d] = margin + r.nextInt(Math.max(1, shape[d] - 2 * margin));
            }
            paint(img, lab, label, c, size, intensity);
        }
        java.util.Random g = new java.util.Random(r.nextLong());
        for (int i = 0; i < v; i++) {
            img[i] += (float) (g.nextGaussian() * noiseSigma);
        }
        return new SyntheticCase(String.format("synth_%03d", index), shape.clone(), img, lab);
    }

    private boolean inside(short label, double dz, double dy, double dx, double size) {
        if (label == 1) {
            return dz * dz + dy * dy + dx * dx <= size * size;
        }
        if (task == SyntheticTask.A) {
            return Math.abs(dx) <= size * 1.8 && Math.abs(dy) <= size * 0.5 && Math.abs(dz) <= size * 0.5;
        }
        double a = size * 1.8;
        double b = size * 0.6;
        return dx * dx / (a * a) + dy * dy / (b * b) + dz * dz / (b * b) <= 1;
    }

    private void paint(float[] img, short[] lab, short label, int[] c, double size, double intensity) {
        int reach = (int) Math.ceil(size * 1.8) + 1;
        for (int z = Math.max(0, c[0] - reach); z < Math.min(shape[0], c[0] + reach + 1); z++) {
            for (int y = Math.max(0, c[1] - reach); y < Math.min(shape[1], c[1] + reach + 1); y++) {
                for (int x = Math.max(0, c[2] - reach); x < Math.min(shape[2], c[2] + reach + 1); x++) {
                    if (inside(label, z - c[0], y - c[1], x - c[2], size)) {
                        int i = (z * shape[1] + y) * shape[2] + x;
                        img[i] = (float) intensity;
                        lab[i] = label;
                    }
                }
            }
        }
    }
}
