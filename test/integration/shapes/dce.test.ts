// The disaster-recovery drills (./drills.ts) on the lab's `dce` shape (test/lab/shape.ts), on its own lab instance.
process.env['TSPLAY_LAB'] = 'dce';
const { shapeDrills } = await import('./drills.js');
shapeDrills();
