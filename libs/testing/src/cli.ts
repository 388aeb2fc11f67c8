#!/usr/bin/env node
import { prerequisiteReport } from './prerequisite';

// Printed for Nx's runtime input of the test targets (nx.json): see prerequisiteReport.
process.stdout.write(prerequisiteReport());
