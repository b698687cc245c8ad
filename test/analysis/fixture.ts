/**
 * A small application used by the format, diff and CLI tests: frontend open on 8080 from anywhere, backend
 * reachable from frontend only, and backend isolated for egress.
 */

/** The manifests as one multi-document YAML file. */
export const APP_YAML = `apiVersion: apps/v1
kind: Deployment
metadata: { name: frontend, namespace: default }
spec:
  template:
    metadata: { labels: { app: frontend } }
    spec: { containers: [ { name: web, image: nginx, ports: [ { containerPort: 8080, name: http } ] } ] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: backend }
spec:
  template:
    metadata: { labels: { app: backend } }
    spec: { containers: [ { name: api, image: api, ports: [ { containerPort: 9090 } ] } ] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: frontend-public }
spec:
  podSelector: { matchLabels: { app: frontend } }
  ingress: [ { ports: [ { port: http } ] } ]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: backend-from-frontend }
spec:
  podSelector: { matchLabels: { app: backend } }
  policyTypes: [ Ingress, Egress ]
  ingress:
    - from: [ { podSelector: { matchLabels: { app: frontend } } } ]
      ports: [ { port: 9090 }, { port: 8080, endPort: 8090 }, { port: 53, protocol: UDP } ]
`;

/** The expected `txt` output for APP_YAML. */
export const APP_TXT = `0.0.0.0-255.255.255.255[External] => default/frontend[Deployment] : TCP 8080
default/frontend[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections
default/frontend[Deployment] => default/backend[Deployment] : TCP 8080-8090,9090,UDP 53
`;

/** The expected `json` output for APP_YAML. */
export const APP_JSON = '{"connections":['
  + '{"src":{"kind":"External","range":"0.0.0.0-255.255.255.255"},"dst":{"kind":"Deployment","namespace":"default","name":"frontend"},"ports":{"TCP":[[8080,8080]]}},'
  + '{"src":{"kind":"Deployment","namespace":"default","name":"frontend"},"dst":{"kind":"External","range":"0.0.0.0-255.255.255.255"},"ports":{"SCTP":[[1,65535]],"TCP":[[1,65535]],"UDP":[[1,65535]]}},'
  + '{"src":{"kind":"Deployment","namespace":"default","name":"frontend"},"dst":{"kind":"Deployment","namespace":"default","name":"backend"},"ports":{"TCP":[[8080,8090],[9090,9090]],"UDP":[[53,53]]}}'
  + ']}\n';
