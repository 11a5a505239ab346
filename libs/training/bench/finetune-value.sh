#!/usr/bin/env bash
# Fine-tuning value: the demo's pretrained task-A model fine-tuned on a few cases of the related task B vs the
# same network trained on them from scratch, same budget, scored by nnU-Net's final validation (sliding-window
# prediction of the held-out B cases, real Dice) that `nnft train` runs at the end.
#   libs/training/bench/finetune-value.sh [WORK_DIR] [TRAIN_CASES] [HELD_OUT] [EPOCHS] [ITERATIONS]
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
work="${1:-$(mktemp -d)}"
train_cases="${2:-5}"
held_out="${3:-15}"
epochs="${4:-10}"
iterations="${5:-25}"
model="$root/demo/pretrained/Dataset101_SynthA"
nnft="$root/nnft"
mkdir -p "$work"

# Seed 500: cases neither the demo's pretraining (task A, seed 1) nor its dataset (task B, seed 1001) drew.
"$nnft" synth --output "$work/raw" --task B --seed 500 --size 32 --cases $((train_cases + held_out))
# The pretrained model's plans: an encoder only works on data prepared as in its pretraining.
"$nnft" preprocess --raw "$work/raw" --plans "$model/plans.json" --configuration 3d_fullres --output "$work/pre"
python3 - "$work" "$train_cases" "$held_out" <<'PY'
import json, sys
work, n_train, n_val = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ids = ["synth_%03d" % i for i in range(n_train + n_val)]
json.dump([{"train": ids[:n_train], "val": ids[n_train:]}], open(work + "/splits.json", "w"))
PY
for start in pretrained scratch; do
  extra=()
  [ "$start" = pretrained ] && extra=(--pretrained "$model")
  t0=$(date +%s)
  "$nnft" train --preprocessed "$work/pre" --plans "$work/pre/nnUNetPlans.json" --configuration 3d_fullres \
    --fold 0 --splits "$work/splits.json" --output "$work/$start" --epochs "$epochs" \
    --iterations-per-epoch "$iterations" --validation-iterations 5 --deterministic --no-progress-bar \
    "${extra[@]}" > "$work/$start.log" 2>&1
  echo "$start: $(( $(date +%s) - t0 )) s, $(grep -h 'final validation: mean validation Dice' "$work/$start.log")," \
    "best EMA pseudo-Dice $(python3 -c "import json;print(round(max(e['ema_pseudo_dice'] for e in json.load(open('$work/$start/fold_0/training_log.json'))['epochs']),4))")"
done
