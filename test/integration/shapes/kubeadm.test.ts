// The disaster-recovery drills (./drills.ts) on the lab's `kubeadm` shape (test/lab/shape.ts), on its own lab instance.
process.env['TSPLAY_LAB'] = 'kubeadm';
const { shapeDrills } = await import('./drills.js');
shapeDrills();
