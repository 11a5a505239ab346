package io.nnft.planning;

import io.nnft.dataset.RawCase;
import io.nnft.dataset.RawDataset;
import io.nnft.imageio.Nifti;
import io.nnft.imageio.NiftiImage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The training cases of an nnU-Net raw dataset ({@link RawDataset}: dataset.json, imagesTr, labelsTr) in
 * nnU-Net's order (sorted identifiers), each read with our NIfTI reader when the fingerprint asks for it.
 */
public final class RawFolderCases implements CaseSource {
    private final RawDataset dataset;
    private final List<RawCase> cases;
    private final int channels;
    private final String ending;
    private final boolean imagesOnly;

    private RawFolderCases(RawDataset dataset, boolean imagesOnly) {
        this.dataset = dataset;
        this.cases = dataset.cases();
        this.channels = dataset.datasetJson().numChannels();
        this.ending = dataset.datasetJson().fileEnding();
        this.imagesOnly = imagesOnly;
    }

    /**
     * Opens {@code root} (holding imagesTr and labelsTr; dataset.json there or in its parent, as
     * {@link RawDataset#open} finds it).
     *
     * @throws IOException a missing or invalid dataset.json or imagesTr (io.nnft.dataset.DatasetFormatException)
     */
    public static RawFolderCases open(Path root) throws IOException {
        RawDataset ds = RawDataset.open(root);
        String ending = ds.datasetJson().fileEnding();
        if (!ending.equals(".nii.gz") && !ending.equals(".nii")) {
            throw new PlansException(ds.datasetJsonFile() + ".file_ending: the fingerprint reads NIfTI, expected "
                    + ".nii.gz or .nii, found " + ending);
        }
        if (ds.cases().isEmpty()) {
            throw new PlansException(ds.imagesTr() + ": no training images named <case>_<XXXX>" + ending);
        }
        return new RawFolderCases(ds, false);
    }

    /**
     * The same cases without label maps (a classification dataset may have no labelsTr): the whole image counts
     * as foreground, so the fingerprint's shapes and spacings are nnU-Net's and its intensity statistics are
     * those of every voxel inside the nonzero crop rather than of annotated foreground.
     */
    public RawFolderCases imagesOnly() {
        return new RawFolderCases(dataset, true);
    }

    public int numberOfChannels() {
        return channels;
    }

    @Override
    public int size() {
        return cases.size();
    }

    @Override
    public String caseId(int index) {
        return cases.get(index).id();
    }

    /** The file of one channel, named as nnU-Net expects it whether or not it exists. */
    public Path imageFile(int index, int channel) {
        return dataset.imagesTr().resolve(cases.get(index).id() + String.format("_%04d", channel) + ending);
    }

    @Override
    public CaseData read(int index) throws IOException {
        RawCase rc = cases.get(index);
        String id = rc.id();
        float[][] data = new float[channels][];
        long[] shape = null;
        double[] spacing = null;
        for (int c = 0; c < channels; c++) {
            Path f = imageFile(index, c);
            if (!Files.isRegularFile(f)) {
                throw new PlansException("case " + id + ": missing channel " + c + " image " + f);
            }
            NiftiImage img = Nifti.read(f);
            if (shape == null) {
                shape = img.shape();
                spacing = img.spacing();
            } else if (!Arrays.equals(shape, img.shape())) {
                throw new PlansException("case " + id + ": " + f.getFileName() + " has shape "
                        + Arrays.toString(img.shape()) + ", expected " + Arrays.toString(shape) + " like channel 0");
            }
            data[c] = img.toFloats();
        }
        float[] seg;
        if (imagesOnly) {
            seg = new float[data[0].length];
            Arrays.fill(seg, 1f);
        } else {
            if (!rc.hasLabel()) {
                throw new PlansException("case " + id + ": missing label file " + rc.label());
            }
            NiftiImage label = Nifti.read(rc.label());
            if (!Arrays.equals(shape, label.shape())) {
                throw new PlansException("case " + id + ": label " + rc.label().getFileName() + " has shape "
                        + Arrays.toString(label.shape()) + ", expected " + Arrays.toString(shape) + " like the images");
            }
            seg = label.toFloats();
        }
        if (shape.length != 3) {
            throw new PlansException("case " + id + ": expected 3-d images, found shape " + Arrays.toString(shape));
        }
        return new CaseData(id, data, seg, new int[]{(int) shape[0], (int) shape[1], (int) shape[2]}, spacing);
    }
}
