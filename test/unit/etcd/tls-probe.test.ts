// classify/parseProbe on what OpenSSL 3's s_client really printed against the lab's etcd (recorded on the lab):
// a member up, a wrong CA, no or a foreign client certificate, nothing listening.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classify, describeCause, parseProbe, probeCommand } from '../../../src/etcd/tls-probe.js';

const ok = `Can't use SSL_get_servername\nCONNECTION ESTABLISHED\nProtocol version: TLSv1.3\nPeer certificate: CN = controller-node-1\nVerification: OK\n`;
const wrongCa = `Can't use SSL_get_servername\ndepth=0 CN = controller-node-1\nverify error:num=20:unable to get local issuer certificate\n408718E1CF7F0000:error:0A000086:SSL routines:tls_post_process_server_certificate:certificate verify failed:../ssl/statem/statem_clnt.c:1889:\n`;
const badClient = `Can't use SSL_get_servername\nCONNECTION ESTABLISHED\nPeer certificate: CN = controller-node-1\nVerification: OK\nServer Temp Key: X25519, 253 bits\n407713A6677F0000:error:0A000412:SSL routines:ssl3_read_bytes:sslv3 alert bad certificate:../ssl/record/rec_layer_s3.c:1601:SSL alert number 42\n`;
const refused = `4077B127CD7F0000:error:8000006F:system library:BIO_connect:Connection refused:../crypto/bio/bio_sock2.c:117:calling connect()\n4077B127CD7F0000:error:10000067:BIO routines:BIO_connect:connect error:../crypto/bio/bio_sock2.c:119:\nconnect:errno=111\n`;

test('each recorded handshake gets its cause', () => {
  assert.equal(classify(ok, 0), 'tls-ok');
  assert.equal(classify(wrongCa, 1), 'server-certificate');
  assert.equal(classify(badClient, 0), 'client-certificate');
  assert.equal(classify(refused, 1), 'refused');
  assert.equal(classify('', 124), 'timeout');
  assert.equal(classify('missing /etc/kubernetes/pki/x.crt\n', 1), 'missing-file');
});

test('parseProbe maps blocks to endpoints by index, whatever order they finish in', () => {
  const out = `@@probe 1 rc=0\n${badClient}\n@@probe 0 rc=1\n${refused}\n`;
  const r = parseProbe(out, 3);
  assert.deepEqual(
    r.map((x) => x.cause),
    ['refused', 'client-certificate', 'timeout'],
  );
  assert.match(r[1]?.detail ?? '', /alert bad certificate/);
  assert.deepEqual(
    parseProbe('@@no-openssl\n', 2).map((x) => x.cause),
    ['no-openssl', 'no-openssl'],
  );
});

test('the probe quotes every path and runs one handshake per endpoint', () => {
  const cmd = probeCommand(['https://127.0.1.1:2379', 'https://127.0.1.2:2379'], { cacert: '/a b/ca.crt', cert: '/c.crt', key: '/c.key' });
  assert.equal(cmd.match(/openssl s_client/g)?.length, 2);
  assert.match(cmd, /-CAfile '\/a b\/ca\.crt'/);
  assert.match(cmd, /-connect 127\.0\.1\.2:2379/);
});

test('the sentences name the file to fix', () => {
  const tls = { cacert: '/etc/kubernetes/pki/etcd/ca.crt', cert: '/etc/kubernetes/pki/apiserver-etcd-client.crt', key: '/k' };
  assert.match(
    describeCause('https://x:2379', 'client-certificate', tls, 'host01'),
    /refuses the client certificate \/etc\/kubernetes\/pki\/apiserver-etcd-client\.crt/,
  );
  assert.match(describeCause('https://x:2379', 'server-certificate', tls, 'host01'), /not signed by \/etc\/kubernetes\/pki\/etcd\/ca\.crt/);
  assert.match(describeCause('https://x:2379', 'refused', tls, 'host01'), /member down/);
});
