# minikube service on the Docker driver on macOS (Docker Desktop, the learners' MacBooks): the
# node is out of reach, so every `minikube service` is an ssh tunnel on 127.0.0.1, with --url too.
uname
kubectl apply -f clusterip.yaml
kubectl apply -f web.yaml
kubectl apply -f nodeport.yaml
kubectl rollout status sts/web --timeout=2m
minikube service web
minikube service web --url 2>/dev/null
URL=$(minikube service web --url 2>/dev/null)
for i in 1 2 3 4 5 6; do curl -s -o /dev/null -w "%{http_code} " $URL/; done; echo
kubectl exec web-0 -- cat /data/visits; echo
kubectl exec web-1 -- cat /data/visits; echo
kubectl exec web-2 -- cat /data/visits; echo
curl -s $(minikube service web --url 2>/dev/null)/visits
minikube service web-np
minikube service web-np --url
curl -sS -m 3 http://192.168.49.2:30080/; echo "exit $?"
minikube service list
kubectl apply -f loadbalancer.yaml
kubectl get svc web-lb
minikube tunnel
kubectl get svc web-lb
curl -s http://127.0.0.1/visits
kubectl delete pod web-0 web-1 web-2 --wait=false
minikube service web --url
curl -sS $(minikube service web --url 2>/dev/null)/; echo "exit $?"
kubectl delete sts web
sleep 40
kubectl get pods
minikube service web-np --url; echo "exit $?"
curl -sS -m 5 $(minikube service web --url 2>/dev/null)/; echo "exit $?"
