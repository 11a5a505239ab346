package io.nnft.planner.service;

import io.nnft.planning.CaseData;
import io.nnft.planning.CaseSource;
import io.nnft.planning.PlansException;
import io.nnft.planning.RawFolderCases;
import io.nnft.imageio.Nifti;
import io.nnft.imageio.NiftiImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The cases of a classification dataset without labelsTr, for the fingerprint: the images as
 * {@link RawFolderCases} reads them, and the whole image as "foreground" (a label map of ones). The
 * fingerprint's shapes and spacings are then nnU-Net's; its intensity statistics are those of every voxel
 * inside the nonzero crop rather than of annotated foreground. With a pretrained model they are replaced by
 * the pretrained plans' statistics anyway (the encoder must see data normalised as in its pretraining).
 */
final class ImageOnlyCases implements CaseSource {
    private final RawFolderCases images;

    ImageOnlyCases(RawFolderCases images) {
        this.images = images;
    }

    @Override
    public int size() {
        return images.size();
    }

    @Override
    public String caseId(int index) {
        return images.caseId(index);
    }

    @Override
    public CaseData read(int index) throws IOException {
        String id = images.caseId(index);
        int channels = images.numberOfChannels();
        float[][] data = new float[channels][];
        long[] shape = null;
        double[] spacing = null;
        for (int c = 0; c < channels; c++) {
            Path f = images.imageFile(index, c);
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
        if (shape.length != 3) {
            throw new PlansException("case " + id + ": expected 3-d images, found shape " + Arrays.toString(shape));
        }
        float[] everywhere = new float[data[0].length];
        Arrays.fill(everywhere, 1f);
        return new CaseData(id, data, everywhere, new int[]{(int) shape[0], (int) shape[1], (int) shape[2]}, spacing);
    }
}
