package io.nnft.dataset;

import io.nnft.imageio.Nifti;
import io.nnft.imageio.NiftiImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The checks nnU-Net's verify_dataset_integrity runs per case (check_cases + verify_labels), reading
 * one file at a time so a case never holds more than one volume: every channel present, readable,
 * free of NaN, same shape and spacing as channel 0; the label present, same shape, spacing within
 * np.allclose's tolerance, and only declared values. Origin and direction differences are warnings,
 * as nnU-Net only prints them.
 */
final class CaseVerifier {
    private static final double RTOL = 1e-5;
    private static final double ATOL = 1e-8;

    private final Path root;
    private final DatasetJson dj;
    private final long maxBytes;

    CaseVerifier(Path root, DatasetJson dj, long maxBytes) {
        this.root = root;
        this.dj = dj;
        this.maxBytes = maxBytes;
    }

    /** The geometry of the first image read, which every other file of the case must match. */
    private static final class Reference {
        String file;
        long[] shape;
        double[] spacing;
        double[] origin;
        double[] direction;
    }

    List<DatasetProblem> check(RawCase c) {
        List<DatasetProblem> problems = new ArrayList<>();
        String ending = dj.fileEnding();
        int n = dj.numChannels();
        Path[] byChannel = new Path[n];
        for (Path f : c.images()) {
            int idx = RawCase.channelIndex(f.getFileName().toString(), c.id(), ending);
            if (idx >= n) {
                problems.add(DatasetProblem.error(where(f), "channel index of case " + c.id(),
                        "0.." + (n - 1) + " (" + n + " channels in dataset.json channel_names)", String.valueOf(idx)));
            } else {
                byChannel[idx] = f;
            }
        }
        Reference ref = null;
        for (int ch = 0; ch < n; ch++) {
            Path f = byChannel[ch];
            if (f == null) {
                Path expected = c.images().isEmpty() ? root.resolve("imagesTr")
                        .resolve(String.format("%s_%04d%s", c.id(), ch, ending))
                        : c.images().get(0).resolveSibling(String.format("%s_%04d%s", c.id(), ch, ending));
                problems.add(DatasetProblem.error(where(expected), "channel " + ch + " (" + dj.channelNames().get(ch)
                        + ") of case " + c.id(), "a file", "none"));
                continue;
            }
            NiftiImage img = read(f, problems);
            if (img == null) {
                continue;
            }
            long nan = countNaN(img);
            if (nan > 0) {
                problems.add(DatasetProblem.error(where(f), "NaN voxels", "none (replace NaN with a meaningful value)",
                        nan + " of " + img.data().size()));
            }
            ref = compare(ref, f, img, problems, true);
        }
        if (!Files.isRegularFile(c.label())) {
            problems.add(DatasetProblem.error(where(c.label()), "label file of case " + c.id(), "a file", "none"));
            return problems;
        }
        NiftiImage seg = read(c.label(), problems);
        if (seg == null) {
            return problems;
        }
        compare(ref, c.label(), seg, problems, false);
        checkLabelValues(c.label(), seg, problems);
        return problems;
    }

    private NiftiImage read(Path f, List<DatasetProblem> problems) {
        try {
            NiftiImage img = Nifti.read(f, maxBytes);
            int ndim = img.shape().length;
            if (ndim < 2 || ndim > 3) {
                problems.add(DatasetProblem.error(where(f), "dimensions", "a 2D or 3D image",
                        "shape (z,y,x) " + Arrays.toString(img.shape())));
                return null;
            }
            return img;
        } catch (IOException e) {
            problems.add(DatasetProblem.error(where(f), "readable NIfTI image", "a valid .nii/.nii.gz file",
                    messageWithoutFile(e, f)));
            return null;
        }
    }

    private Reference compare(Reference ref, Path f, NiftiImage img, List<DatasetProblem> problems, boolean isImage) {
        long[] shape = img.shape();
        if (ref == null) {
            Reference r = new Reference();
            r.file = where(f);
            r.shape = shape;
            r.spacing = img.spacing();
            r.origin = img.origin();
            r.direction = img.direction();
            return r;
        }
        String than = " (as " + ref.file + ")";
        if (!Arrays.equals(ref.shape, shape)) {
            problems.add(DatasetProblem.error(where(f), "shape (z,y,x)", Arrays.toString(ref.shape) + than,
                    Arrays.toString(shape)));
        }
        // nnU-Net's readers demand identical spacings across channels; image vs label uses np.allclose
        boolean spacingOk = isImage ? Arrays.equals(ref.spacing, img.spacing()) : allClose(img.spacing(), ref.spacing);
        if (!spacingOk) {
            problems.add(DatasetProblem.error(where(f), "spacing (z,y,x)", Arrays.toString(ref.spacing) + than
                    + (isImage ? "" : " within rtol 1e-5"), Arrays.toString(img.spacing())));
        }
        if (!allClose(img.origin(), ref.origin)) {
            problems.add(DatasetProblem.warning(where(f), "origin (SimpleITK, LPS)", Arrays.toString(ref.origin) + than,
                    Arrays.toString(img.origin())));
        }
        if (!allClose(img.direction(), ref.direction)) {
            problems.add(DatasetProblem.warning(where(f), "direction (SimpleITK, LPS)",
                    Arrays.toString(ref.direction) + than, Arrays.toString(img.direction())));
        }
        return ref;
    }

    private void checkLabelValues(Path f, NiftiImage seg, List<DatasetProblem> problems) {
        LabelValues found = LabelValues.of(seg);
        if (found.nanCount > 0) {
            problems.add(DatasetProblem.error(where(f), "NaN voxels in label map", "none",
                    found.nanCount + " of " + seg.data().size()));
        }
        List<Integer> allowed = dj.allowedLabelValues();
        Set<Double> allowedD = allowed.stream().map(Integer::doubleValue).collect(Collectors.toSet());
        TreeSet<Double> unexpected = new TreeSet<>();
        for (double v : found.values) {
            if (!allowedD.contains(v)) {
                unexpected.add(v);
            }
        }
        if (!unexpected.isEmpty() || found.truncated) {
            problems.add(DatasetProblem.error(where(f), "label values", "only " + allowed + " (dataset.json labels)",
                    format(found.values) + (found.truncated ? " and more" : "") + "; unexpected " + format(unexpected)));
        }
    }

    private static String format(Set<Double> values) {
        return values.stream().map(v -> v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf(v.longValue())
                : String.valueOf(v)).collect(Collectors.joining(", ", "[", "]"));
    }

    private static long countNaN(NiftiImage img) {
        if (!img.data().dtype().isFloatingPoint()) {
            return 0;
        }
        long n = 0;
        for (float v : img.toFloats()) {
            if (Float.isNaN(v)) {
                n++;
            }
        }
        return n;
    }

    /** numpy.allclose(a, b): |a - b| <= atol + rtol * |b| elementwise, same length. */
    static boolean allClose(double[] a, double[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (!(Math.abs(a[i] - b[i]) <= ATOL + RTOL * Math.abs(b[i]))) {
                return false;
            }
        }
        return true;
    }

    private String where(Path f) {
        try {
            return root.relativize(f).toString();
        } catch (IllegalArgumentException e) {
            return f.toString();
        }
    }

    private static String messageWithoutFile(IOException e, Path f) {
        String m = String.valueOf(e.getMessage());
        String prefix = f + ": ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }
}
