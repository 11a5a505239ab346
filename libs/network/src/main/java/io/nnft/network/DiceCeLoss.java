package io.nnft.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * nnU-Net's DC_and_CE_loss: weight_ce · CE + weight_dice · soft dice. With an ignore label, dice sees the
 * ignored voxels as background under a loss mask and CE skips them; when no voxel counts, CE is 0 (as in
 * nnU-Net, which would otherwise divide by zero).
 */
public final class DiceCeLoss {
    private final MemoryEfficientSoftDiceLoss dice;
    private final RobustCrossEntropyLoss ce = new RobustCrossEntropyLoss();
    private final double weightCe;
    private final double weightDice;
    private final Integer ignoreLabel;

    /** nnUNetTrainer._build_loss: smooth 1e-5, no background, weights 1/1. */
    public static DiceCeLoss nnUNetDefault(boolean batchDice, Integer ignoreLabel) {
        return new DiceCeLoss(batchDice, 1e-5, 1, 1, ignoreLabel);
    }

    public DiceCeLoss(boolean batchDice, double smooth, double weightCe, double weightDice, Integer ignoreLabel) {
        this.dice = new MemoryEfficientSoftDiceLoss(batchDice, smooth);
        this.weightCe = weightCe;
        this.weightDice = weightDice;
        this.ignoreLabel = ignoreLabel;
    }

    /** The two terms, for logging and tests. */
    public record Terms(NDArray total, NDArray ce, NDArray dice) {
    }

    public Terms terms(NDArray logits, NDArray target) {
        if (target.getShape().get(1) != 1 || target.getShape().dimension() != logits.getShape().dimension()) {
            throw new IllegalArgumentException("target must be (N, 1, spatial...) matching logits " + logits.getShape()
                    + ", found " + target.getShape());
        }
        NDArray mask = null;
        NDArray diceTarget = target;
        if (ignoreLabel != null) {
            NDArray keep = target.neq(ignoreLabel);
            mask = keep.toType(DataType.FLOAT32, false);
            diceTarget = target.mul(keep.toType(target.getDataType(), false));
        }
        NDArray dc = weightDice != 0 ? dice.loss(logits, diceTarget, mask) : null;
        boolean anyCounted = mask == null || mask.sum().getFloat() > 0;
        NDArray cross = weightCe != 0 && anyCounted ? ce.loss(logits, target, mask) : null;
        NDArray total = null;
        if (cross != null) {
            total = cross.mul((float) weightCe);
        }
        if (dc != null) {
            NDArray d = dc.mul((float) weightDice);
            total = total == null ? d : total.add(d);
        }
        if (total == null) {
            total = logits.getManager().zeros(new ai.djl.ndarray.types.Shape());
        }
        return new Terms(total, cross, dc);
    }

    public NDArray loss(NDArray logits, NDArray target) {
        return terms(logits, target).total();
    }
}
