/** The part of datapackage-js (Frictionless Data's reference library) the output tests use. */
declare module 'datapackage' {
  interface Package {
    valid: boolean;
    errors: Error[];
    descriptor: Record<string, unknown>;
  }
  const datapackage: { Package: { load(descriptor: object | string, basePath?: string, options?: { strict?: boolean }): Promise<Package> } };
  export default datapackage;
}
