# The small shell: variables, substitution, pipes, redirection, conditionals.
help
date
echo hello world
NAME=web; echo "pod $NAME-0"
export GREETING=hi && echo $GREETING
echo $(echo nested $(echo twice))
echo one > notes.txt; echo two >> notes.txt; cat notes.txt
cat missing.txt || echo "cat failed with $?"
false && echo never || echo "or branch"
printf 'a\nb\nc\n' | head -2
kubectl apply -f web.yaml > /dev/null && echo applied
sleep 20
kubectl get pods --no-headers | wc -l
kubectl get pods | grep -v NAME | grep web-1
kubectl exec web-0 -- sh -c 'echo $HOSTNAME; ls /; cat /etc/resolv.conf'
kubectl exec web-0 -- sh -c 'echo 42 > /data/visits && cat /data/visits'
kubectl exec web-0 -- ls /data /nope
timeout 1 sleep 5; echo "status $?"
printf '%s=%s\n' a 1 b 2
clear
