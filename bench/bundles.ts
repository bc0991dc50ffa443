import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { routeList } from '#shared/api/routes';
import { lambdaBundling } from '#infra/cdk/bundling';

/**
 * The CDK's bundling props (infra/cdk/bundling.ts, what KairosFunction deploys) as esbuild
 * options. NodejsFunction also sets platform node and bundle; source maps are written to a
 * separate file, so they do not count towards the code's size.
 */
export interface BundleOptionsSource {
  options: BuildOptions;
  source: string;
}

export function esbuildOptions(): BundleOptionsSource {
  return {
    options: {
      platform: 'node',
      bundle: true,
      format: lambdaBundling.format,
      target: lambdaBundling.target,
      minify: lambdaBundling.minify,
      mainFields: [...lambdaBundling.mainFields],
      charset: lambdaBundling.charset,
      banner: { js: lambdaBundling.banner },
      sourcemap: 'external',
      sourcesContent: lambdaBundling.sourcesContent,
      external: [...lambdaBundling.externalModules],
    },
    source: 'infra/cdk/bundling.ts (the options KairosFunction deploys with)',
  };
}

export interface BundleSize {
  routeId: string;
  entry: string;
  rawBytes: number;
  gzipBytes: number;
  /** The packages (or "app" for this repository's code) that contribute most output bytes. */
  top: Array<{ name: string; bytes: number }>;
  warnings: number;
}

const packageOf = (input: string): string => {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return match ? match[1]! : 'app';
};

function topContributors(metafile: Metafile): Array<{ name: string; bytes: number }> {
  const totals = new Map<string, number>();
  for (const [file, output] of Object.entries(metafile.outputs)) {
    if (file.endsWith('.map')) continue;
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...totals].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes).slice(0, 4);
}

/** Bundles every route's Lambda entry (functions/http/<routeId>.ts) in memory and measures it. */
export async function measureBundles(root: string, options: BuildOptions): Promise<BundleSize[]> {
  return Promise.all(
    routeList.map(async (route) => {
      const entry = `functions/http/${route.id}.ts`;
      const result = await build({
        ...options,
        entryPoints: [path.join(root, entry)],
        absWorkingDir: root,
        outfile: path.join(root, 'bench/.out', `${route.id}.mjs`),
        write: false,
        metafile: true,
        logLevel: 'silent',
      });
      const code = result.outputFiles.find((f) => !f.path.endsWith('.map'));
      if (!code) throw new Error(`esbuild produced no code for ${entry}`);
      return {
        routeId: route.id,
        entry,
        rawBytes: code.contents.byteLength,
        gzipBytes: gzipSync(code.contents, { level: 9 }).byteLength,
        top: topContributors(result.metafile),
        warnings: result.warnings.length,
      };
    }),
  );
}
