package io.nnft.trainer.service;

import io.nnft.network.ConvBackwardRepair;
import java.util.List;

/**
 * What the engine self-check said about one plan shape on this node.
 *
 * @param ok               the verdict is {@code doctor: OK}
 * @param verdict          {@code doctor: OK} or {@code doctor: FAILED <what, how far off>}
 * @param seconds          how long the check took (its own measurement; the JVM start not included)
 * @param repair           why the conv backward repair is on or off in the checking JVM
 * @param repairSwitchedOn the check switched the repair on for this plan (auto mode): training workers of the plan
 *                         must have it on too, they run in other JVMs
 * @param conclusive       false when the check did not finish (its JVM died, timed out): not cached, asked again
 */
public record SelfCheckResult(boolean ok, String verdict, double seconds, String repair, boolean repairSwitchedOn,
                              String device, boolean conclusive) {

    public static SelfCheckResult didNotFinish(String why, double seconds) {
        return new SelfCheckResult(false, "doctor: FAILED the self-check did not finish: " + why, seconds, null, false,
                null, false);
    }

    /** JVM options of this plan's training workers. */
    public List<String> workerJvmOptions() {
        return repairSwitchedOn ? List.of("-D" + ConvBackwardRepair.PROPERTY + "=on") : List.of();
    }
}
