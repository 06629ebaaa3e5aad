// electron-vite builds the three parts: main (ESM), preload (CommonJS, because a sandboxed
// preload cannot load ESM) and the renderer (the same bundle the web host serves).
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // The notice renderer's worker thread is its own entry, emitted beside main.js.
      lib: { entry: { main: resolve('electron/main.ts'), 'render-worker': resolve('electron/core/notices/render-worker.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      lib: { entry: resolve('electron/preload.ts') },
      rolldownOptions: { output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: resolve('renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve('out/renderer'),
      chunkSizeWarningLimit: 4000,
      rolldownOptions: { input: resolve('renderer/index.html') },
    },
  },
});
