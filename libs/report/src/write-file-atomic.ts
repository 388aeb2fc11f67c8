// One atomic writer for every file lnsgd writes (reports, checkpoints, parameter files).
export { writeFileAtomic } from '@lnsgd/tensor-codec';
