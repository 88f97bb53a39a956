/** Style sheets are imported for their effect: esbuild bundles them into dist/web/app.css. */
declare module "*.css";
