/** The console's production build: console/dist, served by the API process (runtime/console-static.ts). */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: __dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1000 },
  server: { proxy: { '/v1': 'http://localhost:3000', '/dev': 'http://localhost:3000' } },
});
