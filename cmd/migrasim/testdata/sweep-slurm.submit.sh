#!/bin/sh
# Submits the job array of sweep tiny-sweep and the merge job that waits for all of
# its tasks to succeed. Written by 'migrasim sweep slurm'.
set -eu
jid=$(sbatch --parsable DIR/slurm/sweep.sbatch)
jid=${jid%%;*}
mid=$(sbatch --parsable --dependency=afterok:$jid DIR/slurm/merge.sbatch)
mid=${mid%%;*}
echo "array job $jid, merge job $mid"
