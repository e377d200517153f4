# Deployments and ReplicaSets, the lab's flow: create deployment, the ReplicaSet and its
# pods' hashed names, a deleted pod replaced under a new name, set image with rollout
# status/history/undo, scale, expose, describe, autoscale + get hpa, a cascading delete.
kubectl create deployment web --image=nginx:1.27 --replicas=3 --port=80
kubectl get deploy,rs,po
kubectl rollout status deployment/web
kubectl get deploy,rs,po
kubectl get deploy -o wide
kubectl get rs -o wide --show-labels
kubectl delete pod $(kubectl get pods -o jsonpath='{.items[0].metadata.name}')
kubectl get pods
kubectl set image deployment/web nginx=nginx:1.28
kubectl rollout status deployment/web
kubectl get rs
kubectl rollout history deployment/web
kubectl rollout history deployment/web --revision=2
kubectl rollout undo deployment/web
kubectl rollout status deployment/web
kubectl rollout history deployment/web
kubectl get pods -o jsonpath='{range .items[*]}{.metadata.name}{"\t"}{.spec.containers[0].image}{"\n"}{end}'
kubectl scale deployment web --replicas=5
kubectl rollout status deployment/web
kubectl get deploy web
kubectl expose deployment web --port=80 --type=NodePort
kubectl get svc web -o wide
kubectl describe deployment web
kubectl describe rs $(kubectl get rs -o jsonpath='{.items[0].metadata.name}')
kubectl autoscale deployment web --min=2 --max=10 --cpu-percent=50
kubectl get hpa
kubectl get all
kubectl delete deployment web
kubectl get deploy,rs
sleep 30
kubectl get all
